import pytest
from django.test import RequestFactory

from accounts.ip import client_ip

PROXY = "10.0.0.5"


@pytest.fixture
def trusted(settings):
    settings.CLAIMDESK_TRUSTED_PROXIES = [PROXY]


def request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_it_ignores_x_forwarded_for_from_anyone_but_our_proxies(trusted):
    assert client_ip(request("198.51.100.1", "203.0.113.7")) == "198.51.100.1"


def test_it_takes_the_address_our_proxy_saw(trusted):
    # The client wrote the first entry itself; our proxy appended the second.
    assert client_ip(request(PROXY, "6.6.6.6, 203.0.113.7")) == "203.0.113.7"


def test_it_skips_our_own_proxies_in_a_chain(settings):
    settings.CLAIMDESK_TRUSTED_PROXIES = [PROXY, "10.0.0.6"]
    assert client_ip(request(PROXY, "203.0.113.7, 10.0.0.6")) == "203.0.113.7"


@pytest.mark.parametrize("forwarded", ["", "not-an-address", "203.0.113.7:443", "1.2.3.4\r\nforged"])
def test_it_falls_back_to_the_proxy_for_a_missing_or_malformed_header(trusted, forwarded):
    assert client_ip(request(PROXY, forwarded)) == PROXY
