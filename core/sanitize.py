"""The one place where user-entered rich text becomes HTML.

Notes fields (claim, corroboration and review notes) accept a small set of
formatting. Everything else in Claimdesk is plain text and is escaped by the
template engine. Keeping the allow-lists here, at module level, means a grep
for ``mark_safe`` finds exactly one call.
"""

import json

import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {"p", "br", "em", "strong", "i", "b", "a", "ul", "ol", "li", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https"}


def clean_html(text: str) -> SafeString:
    """Return ``text`` reduced to the allow-list, marked safe for templates."""
    cleaned = nh3.clean(
        text or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return mark_safe(cleaned)  # noqa: S308 - nh3 has just reduced it to the allow-list # nosec B308 B703


# The characters that could end a <script> element or open a comment inside it.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld_script(data: dict) -> SafeString:
    """A <script type="application/ld+json"> element holding ``data``, safe to embed.

    Like Django's json_script, but with the type search engines read.
    """
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True).translate(_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308 - escaped above # nosec B308 B703
