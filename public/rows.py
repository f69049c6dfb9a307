"""The rows of a public claims list as HTML, rendered in Python.

Through the template engine each row cost about a tenth of a millisecond, and
fifty of them were most of the list page's time. Here a row is one format_html
call, which escapes every value as the template did. The list templates include
the result (templates/public/_claim_page.html).
"""

import functools

from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from claims.listing import attach_links
from claims.models import Claim

ROW = (
    '<li class="claim-row{row_class}">\n'
    '  <p class="statement"><a href="{url}">{statement}</a></p>\n'
    '  <p class="meta">\n'
    "    {status}{withdrawn}\n"
    "    <span>{evidence}{denied}</span>\n"
    "    {topics}{regions}\n"
    '    <span>updated <time datetime="{updated_iso}">{updated_label}</time></span>\n'
    "  </p>\n"
    "</li>\n"
)
# Fixed pieces, escaped once: format_html passes safe strings through for almost nothing,
# and escaping is most of its work.
STATUS_BADGES = {
    value: format_html('<span class="badge status-{}">{}</span>', value, label) for value, label in Claim.Status.choices
}
WITHDRAWN_CLASS = format_html("{}", " is-withdrawn")
WITHDRAWN_BADGE = format_html('<span class="badge withdrawn">{}</span>', "Withdrawn")
DENIED = format_html("{}", ", denied")
NOTHING = format_html("{}", "")
# An id no claim has, to reverse the claim URL once per page and fill in each row's id.
_ID_MARK = 987654321


def claim_rows(claims: list[dict]) -> SafeString:
    """<li> elements for ``claims``: dicts of claims.listing.ROW_FIELDS, in order."""
    attach_links(claims)
    claim_url = reverse("public:claim_detail", args=[_ID_MARK])
    zone = timezone.get_current_timezone()
    rows = [
        _row(
            claim_url.replace(str(_ID_MARK), str(claim["id"])),
            claim["statement"],
            claim["status"],
            claim["state"],
            claim["report_count"],
            claim["independent_origin_count"],
            claim["has_denial"],
            tuple(claim["topic_links"]),
            tuple(claim["region_links"]),
            claim["updated_at"].astimezone(zone),
        )
        for claim in claims
    ]
    return format_html("{}" * len(rows), *rows) if rows else NOTHING


# A row is a pure function of what it shows, and the same rows come back on page after page
# (and in every worker process, for its own copy): remembered, a row costs a dictionary lookup.
@functools.lru_cache(maxsize=10_000)
def _row(url, statement, status, state, reports, origins, has_denial, topics, regions, updated) -> SafeString:
    withdrawn = state == Claim.State.WITHDRAWN
    return format_html(
        ROW,
        row_class=WITHDRAWN_CLASS if withdrawn else NOTHING,
        url=url,
        statement=statement,
        status=STATUS_BADGES.get(status) or status,
        withdrawn=WITHDRAWN_BADGE if withdrawn else NOTHING,
        evidence=f"{reports} report{'' if reports == 1 else 's'}, "
        f"{origins} independent origin{'' if origins == 1 else 's'}",
        denied=DENIED if has_denial else NOTHING,
        topics=format_html_join(
            "",
            '<a class="topic" href="{}">{}</a>',
            ((reverse("public:topic_detail", args=[slug]), name) for slug, name in topics),
        ),
        regions=format_html('<span class="regions">{}</span>', ", ".join(name for _slug, name in regions))
        if regions
        else NOTHING,
        updated_iso=updated.isoformat(),
        updated_label=f"{updated.day} {MONTHS_3[updated.month].title()} {updated.year}",
    )
