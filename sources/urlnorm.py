"""Canonical form of an article URL, so that one article is logged once.

The same report reaches reporters with different tracking parameters,
fragments and host spellings; all of those are one article.
"""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

ALLOWED_SCHEMES = ("http", "https")

# Query parameters that identify a campaign or a click, never the document.
TRACKING_PARAMETERS = {
    "fbclid",
    "gclid",
    "dclid",
    "msclkid",
    "mc_cid",
    "mc_eid",
    "igshid",
    "yclid",
    "_ga",
    "ref_src",
    "cmpid",
    "ocid",
}
TRACKING_PREFIXES = ("utm_",)

DEFAULT_PORTS = {"http": 80, "https": 443}


class InvalidURL(ValueError):
    pass


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMETERS or lowered.startswith(TRACKING_PREFIXES)


def normalize_url(url: str) -> str:
    """Return the canonical form of an http(s) URL or raise InvalidURL.

    Scheme and host are lower-cased, default ports, the fragment and
    tracking parameters are dropped; path and remaining parameters keep
    their case and order, since servers may treat them as significant.
    """
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise InvalidURL(f"This is not a valid URL ({exc}).") from None
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise InvalidURL("Only http:// and https:// addresses are accepted.")
    host = (parts.hostname or "").lower().rstrip(".")
    if not host:
        raise InvalidURL("The address has no host name.")
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)])
    path = parts.path or "/"
    return urlunsplit((scheme, netloc, path, query, ""))
