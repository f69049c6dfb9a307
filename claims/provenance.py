"""Tracing reports back to their origin, and weighing what remains.

Twenty outlets relaying one intercept are one origin, not twenty
confirmations. Everything here works on attributions already in memory, so a
claim's whole evidence summary costs the queries that fetched them and no
more, however many reports it has.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from claims.models import Attribution, Corroboration
    from sources.models import Actor

# Real relay chains are two or three links long (outlet → outlet → agency).
# Anything deeper is a data-entry mistake; validation refuses it.
MAX_VIA_DEPTH = 10


def via_chain(start: Attribution, lookup: Callable[[int], Attribution | None]) -> list[Attribution]:
    """``start``, the attribution it relays, and so on back to the origin.

    Stops at the root, at an attribution ``lookup`` cannot find, at a repeat
    (a cycle that slipped past validation) or past MAX_VIA_DEPTH links, so a
    corrupt chain can shorten an answer but never hang or crash a page.
    """
    chain = [start]
    seen = {start.pk}
    current = start
    while current.via_id is not None and len(chain) <= MAX_VIA_DEPTH:
        relayed = lookup(current.via_id)
        if relayed is None or relayed.pk in seen:
            break
        chain.append(relayed)
        seen.add(relayed.pk)
        current = relayed
    return chain


@dataclass
class Origin:
    """One actor at the root of one or more chains of reports."""

    actor: Actor
    attributions: list[Attribution] = field(default_factory=list)

    @property
    def independence_key(self) -> str:
        return self.actor.independence_key


@dataclass
class EvidenceSummary:
    supporting: list[Attribution]
    denying: list[Attribution]
    origins: list[Origin]
    denial_origins: list[Origin]
    findings: dict[str, int]

    @property
    def independent_origin_count(self) -> int:
        return len({origin.independence_key for origin in self.origins})

    @property
    def report_count(self) -> int:
        """Distinct articles that carry the claim, whatever their stance."""
        return len({a.article_id for a in self.supporting + self.denying})

    @property
    def denied_by(self) -> list[Actor]:
        return [origin.actor for origin in self.denial_origins]


def _group_by_origin(attributions: list[Attribution], lookup) -> list[Origin]:
    origins: dict[int, Origin] = {}
    for attribution in attributions:
        root = via_chain(attribution, lookup)[-1]
        origin = origins.setdefault(root.actor_id, Origin(actor=root.actor))
        origin.attributions.append(attribution)
    return list(origins.values())


def summarise(attributions: Iterable[Attribution], corroborations: Iterable[Corroboration]) -> EvidenceSummary:
    """Weigh one claim's attributions and corroborations, all already fetched."""
    attributions = list(attributions)
    by_id = {a.pk: a for a in attributions}
    supporting = [a for a in attributions if a.supports]
    denying = [a for a in attributions if not a.supports]
    return EvidenceSummary(
        supporting=supporting,
        denying=denying,
        origins=_group_by_origin(supporting, by_id.get),
        denial_origins=_group_by_origin(denying, by_id.get),
        findings=dict(Counter(c.finding for c in corroborations)),
    )


@dataclass
class ReportNode:
    """One report in the provenance tree, with the reports that relay it."""

    attribution: Attribution
    relays: list[ReportNode] = field(default_factory=list)


def build_tree(attributions: Iterable[Attribution]) -> list[ReportNode]:
    """Origins first, each with the chain of reports relaying it beneath.

    A report whose via is missing (or that sits in a corrupt cycle) becomes a
    root of its own, so every report appears exactly once.
    """
    attributions = list(attributions)
    nodes = {a.pk: ReportNode(a) for a in attributions}
    roots: list[ReportNode] = []
    for attribution in attributions:
        parent = nodes.get(attribution.via_id) if attribution.via_id else None
        if parent is None:
            roots.append(nodes[attribution.pk])
        else:
            parent.relays.append(nodes[attribution.pk])
    placed = _reachable(roots)
    roots.extend(node for pk, node in nodes.items() if pk not in placed)
    return roots


def _reachable(roots: list[ReportNode]) -> set[int]:
    seen: set[int] = set()
    stack = list(roots)
    while stack:
        node = stack.pop()
        if node.attribution.pk in seen:
            continue
        seen.add(node.attribution.pk)
        stack.extend(node.relays)
    return seen
