import pytest
from django.template import Context, Template

from core.sanitize import clean_html


def test_it_keeps_the_allowed_formatting():
    html = "<p>One <em>two</em> <strong>three</strong></p><ul><li>a</li></ul><blockquote>q</blockquote>"
    assert clean_html(html) == html


def test_it_keeps_http_links_and_marks_them_nofollow():
    cleaned = clean_html('<a href="https://ap.example/story">AP</a>')
    assert 'href="https://ap.example/story"' in cleaned
    assert "nofollow" in cleaned


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        '<a href="JaVaScRiPt:alert(1)">x</a>',
        '<a href="data:text/html,<script>alert(1)</script>">x</a>',
        '<svg onload="alert(1)"></svg>',
        '<p onclick="alert(1)">x</p>',
        '<iframe src="https://evil.example"></iframe>',
        "<style>body{display:none}</style>",
        '<math><mtext><a href="javascript:alert(1)">x</a></mtext></math>',
    ],
)
def test_it_removes_executable_markup(payload):
    cleaned = clean_html(payload).lower()
    for marker in ("<script", "onerror", "onload", "onclick", "javascript:", "data:", "<iframe", "<style", "<svg"):
        assert marker not in cleaned


def test_the_template_filter_uses_it():
    rendered = Template("{% load rich_text %}{{ notes|rich_text }}").render(
        Context({"notes": "<em>ok</em><script>alert(1)</script>"})
    )
    assert rendered == "<em>ok</em>"
