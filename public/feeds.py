"""Atom and RSS feeds of what changed: publications, status changes, corrections, withdrawals.

Each entry is one public review event, so an entry says what changed and why.
"""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from claims.models import ReviewEvent, Topic
from core.sanitize import clean_html
from public.views import public_changes

FEED_SIZE = 50


class ClaimChangesFeed(Feed):
    feed_type = Rss201rev2Feed
    title = "Claimdesk: published claims and their changes"
    description = "Claims newly published, corrected, re-rated or withdrawn by the Claimdesk editors."

    def link(self):
        return reverse("home")

    def events(self, obj):
        return public_changes()

    def items(self, obj=None):
        return self.events(obj).select_related("claim").order_by("-created_at", "-id")[:FEED_SIZE]

    def item_title(self, event: ReviewEvent) -> str:
        what = event.get_action_display()
        if event.action == ReviewEvent.Action.SET_STATUS:
            what = f"Status now {event.get_to_status_display()}"
        statement = event.claim.statement
        return f"{what}: {statement if len(statement) <= 120 else statement[:119] + '…'}"

    def item_description(self, event: ReviewEvent) -> str:
        parts = [f"<p>{event.get_action_display()} on {event.created_at:%d %B %Y}.</p>"]
        if event.to_status:
            parts.append(f"<p>Corroboration status: {event.get_to_status_display()}.</p>")
        if event.note:
            parts.append(str(clean_html(event.note)))
        return "".join(parts)

    def item_link(self, event: ReviewEvent) -> str:
        return reverse("public:claim_detail", args=[event.claim_id]) + f"#change-{event.pk}"

    def item_guid(self, event: ReviewEvent) -> str:
        return f"claimdesk-change-{event.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, event: ReviewEvent):
        return event.created_at

    def item_updateddate(self, event: ReviewEvent):
        return event.created_at


class ClaimChangesAtomFeed(ClaimChangesFeed):
    feed_type = Atom1Feed
    subtitle = ClaimChangesFeed.description


class TopicChangesFeed(ClaimChangesFeed):
    def get_object(self, request, slug: str) -> Topic:
        return get_object_or_404(Topic, slug=slug)

    def title(self, topic: Topic) -> str:
        return f"Claimdesk: {topic.name}"

    def link(self, topic: Topic) -> str:
        return reverse("public:topic_detail", args=[topic.slug])

    def events(self, topic: Topic):
        return public_changes().filter(claim__topics=topic)


class TopicChangesAtomFeed(TopicChangesFeed):
    feed_type = Atom1Feed
    subtitle = ClaimChangesFeed.description


class CorrectionsFeed(ClaimChangesFeed):
    title = "Claimdesk: corrections and withdrawals"
    description = "Every correction and withdrawal of a published claim, with the editors' public note."

    def events(self, obj):
        return public_changes().filter(action__in=ReviewEvent.PUBLIC_ACTIONS)


class CorrectionsAtomFeed(CorrectionsFeed):
    feed_type = Atom1Feed
    subtitle = CorrectionsFeed.description
