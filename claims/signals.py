"""Keep each claim's stored evidence summary in step with what it is made of.

The summary is a cache of data held elsewhere (attributions, their actors'
independence groups, their articles' dates), so it must follow every write
path: forms, the API, the admin, the shell. Signals are the one place all of
them pass; the computation itself is ClaimQuerySet.refresh_evidence.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from claims.models import Attribution, Claim
from sources.models import Actor, Article


@receiver(post_save, sender=Claim)
def claim_saved(sender, instance: Claim, raw: bool = False, **kwargs) -> None:
    # Statement and notes feed the search document.
    if not raw:
        instance.refresh_evidence()


@receiver(post_save, sender=Attribution)
@receiver(post_delete, sender=Attribution)
def attribution_changed(sender, instance: Attribution, raw: bool = False, **kwargs) -> None:
    if not raw:
        Claim.objects.filter(pk=instance.claim_id).refresh_evidence()


@receiver(post_save, sender=Actor)
def actor_saved(sender, instance: Actor, raw: bool = False, **kwargs) -> None:
    # An independence group, a pseudonym or protection changes every claim citing the actor.
    if not raw:
        Claim.objects.filter(attributions__actor=instance).distinct().refresh_evidence()


@receiver(post_save, sender=Article)
def article_saved(sender, instance: Article, raw: bool = False, **kwargs) -> None:
    # Publication dates decide when a claim was first reported.
    if not raw:
        Claim.objects.filter(attributions__article=instance).distinct().refresh_evidence()
