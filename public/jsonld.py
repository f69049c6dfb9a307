"""schema.org ClaimReview for a published claim with a verdict."""

from django.urls import reverse

from claims.models import Claim

# ClaimReview ratings run from worst to best; our statuses map onto a 1–5 scale.
RATINGS = {
    Claim.Status.FALSE: 1,
    Claim.Status.DISPUTED: 2,
    Claim.Status.SINGLE_ORIGIN: 3,
    Claim.Status.CORROBORATED: 4,
    Claim.Status.CONFIRMED: 5,
}


def claim_review(claim: Claim, attributions: list, *, base_url: str) -> dict | None:
    """The ClaimReview for ``claim``, or None while it has no verdict to review."""
    if claim.status not in RATINGS or claim.state != Claim.State.PUBLISHED:
        return None
    appearances = sorted(
        {a.article_id: a.article for a in attributions}.values(),
        key=lambda article: (article.published_on is None, article.published_on, article.pk),
    )
    organisation = {"@type": "Organization", "name": "Claimdesk", "url": base_url + reverse("home")}
    item = {"@type": "Claim", "appearance": [_creative_work(article) for article in appearances]}
    if appearances:
        item["firstAppearance"] = _creative_work(appearances[0])
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": base_url + reverse("public:claim_detail", args=[claim.pk]),
        "claimReviewed": claim.statement,
        "itemReviewed": item,
        "author": organisation,
        "datePublished": claim.published_at.date().isoformat(),
        "dateModified": claim.updated_at.isoformat(),
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": RATINGS[claim.status],
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": claim.get_status_display(),
        },
    }


def _creative_work(article) -> dict:
    work = {
        "@type": "CreativeWork",
        "url": article.url,
        "headline": article.headline,
        "publisher": {"@type": "Organization", "name": article.outlet.name},
    }
    if article.published_on:
        work["datePublished"] = article.published_on.isoformat()
    return work
