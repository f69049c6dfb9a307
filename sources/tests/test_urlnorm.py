import pytest

from sources.urlnorm import InvalidURL, normalize_url


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("HTTPS://WWW.Kyivpost.example/Post/123", "https://www.kyivpost.example/Post/123"),
        ("https://ap.example/a?utm_source=tw&utm_medium=social&id=5", "https://ap.example/a?id=5"),
        ("https://ap.example/a?fbclid=xyz&gclid=1&page=2#comments", "https://ap.example/a?page=2"),
        ("http://ziare.example:80/x", "http://ziare.example/x"),
        ("https://ziare.example:443/x", "https://ziare.example/x"),
        ("https://ziare.example:8443/x", "https://ziare.example:8443/x"),
        ("https://ziare.example", "https://ziare.example/"),
        ("  https://ziare.example/x  ", "https://ziare.example/x"),
        ("https://ziare.example./x", "https://ziare.example/x"),
        ("https://[2001:DB8::1]/x", "https://[2001:db8::1]/x"),
        ("https://user:secret@ziare.example/x", "https://ziare.example/x"),
    ],
)
def test_it_normalises(raw, normal):
    assert normalize_url(raw) == normal


def test_it_is_idempotent():
    once = normalize_url("HTTPS://AP.example/story?b=2&a=1&utm_campaign=x#frag")
    assert normalize_url(once) == once
    # Parameter order is the server's business: it is kept.
    assert once == "https://ap.example/story?b=2&a=1"


@pytest.mark.parametrize(
    "raw",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "ftp://files.example/a",
        "file:///etc/passwd",
        "https://",
        "//ap.example/story",
        "not a url",
        "",
        "https://ap.example:99999/",
    ],
)
def test_it_rejects_what_is_not_an_http_address(raw):
    with pytest.raises(InvalidURL):
        normalize_url(raw)
