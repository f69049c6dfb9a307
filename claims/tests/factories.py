"""Plain factories for claims and the records around them; keyword-only."""

from django.contrib.auth.models import Group, User
from django.utils import timezone

from claims.models import Attribution, Claim, Corroboration, Topic
from sources.models import Actor, Article
from sources.tests.factories import make_actor, make_article


def make_user(username: str, *, role: str | None = None, **fields) -> User:
    user = User.objects.create_user(username=username, password="correct-horse-battery", **fields)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def make_topic(*, name: str = "Barrier units", slug: str | None = None) -> Topic:
    return Topic.objects.create(name=name, slug=slug or name.lower().replace(" ", "-"))


def make_claim(
    *,
    statement: str = "Blocking units fired on retreating soldiers.",
    created_by: User | None = None,
    state: str = Claim.State.DRAFT,
    **fields,
) -> Claim:
    if state in Claim.PUBLIC_STATES:
        fields.setdefault("published_at", timezone.now())
    return Claim.objects.create(
        statement=statement,
        created_by=created_by or User.objects.get_or_create(username="factory-author")[0],
        state=state,
        **fields,
    )


def make_attribution(
    *,
    claim: Claim,
    actor: Actor | None = None,
    article: Article | None = None,
    stance: str = Attribution.Stance.ASSERTS,
    via: Attribution | None = None,
    **fields,
) -> Attribution:
    return Attribution.objects.create(
        claim=claim,
        actor=actor or make_actor(),
        article=article or make_article(),
        stance=stance,
        via=via,
        **fields,
    )


def make_corroboration(
    *,
    claim: Claim,
    finding: str = Corroboration.Finding.SUPPORTS,
    method: str = Corroboration.Method.OPEN_SOURCE,
    **fields,
) -> Corroboration:
    fields.setdefault("created_by", claim.created_by)
    return Corroboration.objects.create(claim=claim, finding=finding, method=method, **fields)
