"""Plain factories for source records; every argument is keyword-only."""

import itertools

from sources.models import Actor, Article, IndependenceGroup, Outlet

_sequence = itertools.count(1)


def make_outlet(*, name: str | None = None, **fields) -> Outlet:
    return Outlet.objects.create(name=name or f"Outlet {next(_sequence)}", **fields)


def make_article(
    *, url: str | None = None, outlet: Outlet | None = None, headline: str = "A report", **fields
) -> Article:
    return Article.objects.create(
        url=url or f"https://news.example/{next(_sequence)}",
        outlet=outlet or make_outlet(),
        headline=headline,
        **fields,
    )


def make_group(*, name: str | None = None) -> IndependenceGroup:
    return IndependenceGroup.objects.create(name=name or f"Group {next(_sequence)}")


def make_actor(*, name: str | None = None, kind: str = Actor.Kind.GOVERNMENT, **fields) -> Actor:
    return Actor.objects.create(name=name or f"Actor {next(_sequence)}", kind=kind, **fields)
