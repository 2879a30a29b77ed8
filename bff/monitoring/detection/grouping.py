"""Root-cause grouping: the findings of one sweep -> one candidate alert per root cause (pure).

Combos form a lattice: ``*`` (all traffic) is the parent of ``merchant=m`` and
``country=c``; ``merchant=m`` of ``merchant=m|browser=b`` and so on. For each series (metric and
span: minute or window) and direction separately (rule 1 and the slices of rule 2 are in
``explanation``):

1. A finding is **explained** by its children along one dimension when at most
   ``max_explaining_children`` of them (themselves findings) carry at least
   ``explain_share`` of its deviation (or at least half of it, with what remains outside
   them within ``explain_z`` standard errors of noise) while holding at least
   ``explain_margin`` less of its volume: the change is concentrated in them. A merchant-wide outage is not
   explained by its browsers (each carries its volume share of the drop); a conversion
   drop of one browser explains the merchant's dip. A child that carries the change but
   also the parent's volume (the only campaign of a merchant is the merchant again) passes
   the explanation on: the parent is explained through it when the child's own explainer
   explains the parent by the same rule (``merchant=m`` through ``merchant=m|campaign=c``
   by ``...|variant=B``).
2. Unexplained findings are root candidates; a candidate below another candidate in the
   lattice is absorbed by it; and of two candidates of the same merchant (or both
   cross-merchant) whose deviations are within ``explain_share`` of each other (the same
   missing events seen along two dimensions, e.g. Firefox and desktop), the one with the
   smaller volume, the more specific, is kept.
   A root whose deviation is mostly carried by one child lying under another root (a
   country dropping because one of its big merchants is down) is dropped as well, and so
   is a root of a merchant that is a slice, along another dimension, of a parent whose
   change a root of the same merchant carries alone (``merchant=m|browser=Chrome``, 70% of
   the merchant's impressions, while ``merchant=m|campaign=c|variant=B`` carries the
   merchant's drop): the same missing orders seen from the side.
   Across series, a candidate whose evidence is all counts moving one way joins a
   candidate above it whose counts move that way by a comparable relative change: a
   declining merchant's sessions and its Chrome impressions are one incident
   (``volume_slices.merge_volume_slices``).
3. Every other finding is attached, as related, to the root it is linked to (ancestor,
   descendant or same merchant) with the largest deviation.

``sticky`` roots (alerts already open) always stay roots, so an incident keeps its name
from one sweep to the next. Candidates from several metrics that share a root are merged
into one.

4. ``open_roots.absorb_into_open_roots``: a candidate whose every finding is a change of
   the metric and direction of an alert already pending or open, and whose deviation in that series is
   carried (``explain_share``, significant or not) by its intersection with that alert's
   root, is the same incident seen from another side: it is attached to that alert rather
   than raised. ``country=DE`` while ``merchant=m`` (70% German) spikes: its deviation is
   ``merchant=m|country=DE``'s; ``merchant=m|device=desktop`` while ``country=SE`` fails:
   the merchant's deviation is ``merchant=m|country=SE``'s; ``merchant=m|browser=Chrome``
   while ``merchant=m`` slowly declines: it is inside; the global rate while two merchants
   fail at once: jointly carried by both; ``merchant=m|country=SE`` while
   ``merchant=m|browser=Chrome``, carrying the merchant's conversion drop, is open: two
   slices of one merchant whose intersection is not counted, judged on the merchant
   (the share of its drop the open root carries, the candidate falling no more than
   ``own_root_concentration`` times as steeply as the root), or on the merchant's volume
   change (a decline alerted on ``browser=Chrome``, then seen in ``country=NO``). Windows
   make such consequences visible in small combos whose own children are too small to be
   findings, so rules 1-3 alone cannot attach them.
   A candidate inside an open alert's root whose change is **concentrated** in it (its
   share of the root's deviation at least ``own_root_concentration`` times its share of the root's
   volume, and ``explain_margin`` above it) is a root of its own: it would explain the
   root's change by rule 1, so it is a new incident, not a side of the open one (a
   merchant whose authorizations start failing while the all-traffic failure alert is
   open). ``merchant=m|browser=Chrome`` inside a slowly declining ``merchant=m`` carries
   the decline in proportion to its volume and stays attached.
   Inside an open root, a count of another counter moving the same way as one of the
   alert's counts (and as the root's own count of it) is the same volume change: a
   declining merchant's impressions alerted, then its Chrome authorizations or its
   financing orders fall too; an outage's impressions, then one country's authorizations.
5. ``alert_moves.move_open_alerts``: the reverse, an open alert whose root's ancestor
   becomes a candidate carrying the same change in proportion (a declining merchant's
   financing slice raised a sweep before the merchant) moves up to the ancestor: one
   alert, its root moved, instead of a second one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from bff.monitoring.detection.config import DetectionConfig
from bff.monitoring.detection.explanation import (
    children_by_dimension,
    drop_slices_of_explained_parents,
    explainers,
    owner_through_explainers,
)
from bff.monitoring.detection.findings import Finding
from bff.monitoring.detection.volume_slices import merge_volume_slices
from bff.monitoring.dimensions import merchant_of, parse_combo

MAX_FINDINGS_PER_GROUP = 2000


@dataclass
class Candidate:
    """A root cause: the root combo, its own findings (evidence) and the related findings."""

    root: str
    evidence: list[Finding] = field(default_factory=list)
    related: list[Finding] = field(default_factory=list)

    @property
    def best_p(self) -> float:
        return min((f.p_value for f in self.evidence), default=1.0)


def group_findings(
    findings: Iterable[Finding], config: DetectionConfig, sticky: Iterable[str] = ()
) -> list[Candidate]:
    """Group ``findings`` into candidates, most significant first (see the module docstring)."""
    sticky_roots = set(sticky)
    groups: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for finding in findings:
        groups[(finding.series, finding.direction)].append(finding)
    candidates: dict[str, Candidate] = {}
    for group in groups.values():
        group.sort(key=lambda f: f.p_value)
        for root, own, related in _group_one(group[:MAX_FINDINGS_PER_GROUP], config, sticky_roots):
            candidate = candidates.setdefault(root, Candidate(root))
            candidate.evidence.append(own)
            candidate.related.extend(related)
    merge_volume_slices(candidates, config, sticky_roots)
    return sorted(candidates.values(), key=lambda c: (c.best_p, c.root))


def _group_one(
    group: list[Finding], config: DetectionConfig, sticky: set[str]
) -> list[tuple[str, Finding, list[Finding]]]:
    nodes = {f.combo: f for f in group}
    pairs = {combo: parse_combo(combo) for combo in nodes}
    children = children_by_dimension(nodes, pairs)
    explainer = explainers(nodes, children, config)
    tree = {c: merchant_of(c) for c in nodes}
    roots = [c for c in nodes if c in sticky or explainer[c] is None]
    roots = drop_slices_of_explained_parents(roots, nodes, explainer, sticky, config)
    near = _Near(roots, tree)
    roots = [
        r for r in roots if r in sticky or not any(o != r and _below(pairs[o], pairs[r]) for o in near(r))
    ]
    roots = _merge_overlaps(roots, nodes, sticky, config, tree)
    roots = _drop_roots_carried_by_other_roots(
        roots, nodes, pairs, children, sticky, config, _Near(roots, tree)
    )
    near = _Near(roots, tree)
    owner: dict[str, str] = {r: r for r in roots}
    for combo in nodes:
        if combo in owner:
            continue
        links = [
            r for r in near(combo, descendants=True) if _linked(pairs[r], pairs[combo], tree[r], tree[combo])
        ]
        if links:
            owner[combo] = max(links, key=lambda r: abs(nodes[r].deviation))
    for combo in nodes:
        if combo not in owner:
            owner[combo] = owner_through_explainers(combo, owner, explainer)
    related: dict[str, list[Finding]] = defaultdict(list)
    for combo, root in owner.items():
        if combo != root:
            related[root].append(nodes[combo])
    return [(root, nodes[root], related[root]) for root in dict.fromkeys(owner.values())]


class _Near:
    """The roots a combo can be related to, in the roots' order, without testing every root.

    A combo of merchant ``m`` is below, above or in the same tree as roots of ``m`` and
    cross-merchant roots only; a cross-merchant combo can be above any root
    (``descendants=True``). Keeps the grouping linear in the findings of an incident.
    """

    def __init__(self, roots: list[str], tree: dict[str, str | None]) -> None:
        self.roots = roots
        self.position = {r: i for i, r in enumerate(roots)}
        self.by_tree: dict[str | None, list[str]] = defaultdict(list)
        for r in roots:
            self.by_tree[tree[r]].append(r)
        self.tree = tree

    def __call__(self, combo: str, descendants: bool = False) -> list[str]:
        merchant = self.tree[combo]
        if merchant is None:
            return self.roots if descendants else self.by_tree[None]
        return sorted(self.by_tree[merchant] + self.by_tree[None], key=self.position.__getitem__)


def _merge_overlaps(
    roots: list[str],
    nodes: dict[str, Finding],
    sticky: set[str],
    config: DetectionConfig,
    tree: dict[str, str | None],
) -> list[str]:
    kept: list[str] = []
    kept_by_tree: dict[str | None, list[str]] = defaultdict(list)
    for root in sorted(roots, key=lambda r: (r not in sticky, nodes[r].volume, -r.count("|"))):
        twin = next((k for k in kept_by_tree[tree[root]] if _similar(nodes[k], nodes[root], config)), None)
        if twin is None or root in sticky:
            kept.append(root)
            kept_by_tree[tree[root]].append(root)
    return kept


def _drop_roots_carried_by_other_roots(
    roots: list[str],
    nodes: dict[str, Finding],
    pairs: dict[str, dict[str, str]],
    children: dict[str, dict[str, list[str]]],
    sticky: set[str],
    config: DetectionConfig,
    near: _Near,
) -> list[str]:
    """Drop a root whose deviation is mostly one child lying under another root.

    A big merchant's outage also drops its country (``country=FI``): the country's change
    is carried by ``merchant=m|country=FI``, a descendant of the root ``merchant=m``.
    """
    kept = []
    for root in roots:
        carried = root not in sticky and any(
            nodes[c].deviation / nodes[root].deviation >= config.explain_share
            and any(o != root and _below(pairs[o], pairs[c]) for o in near(c))
            for combos in children.get(root, {}).values()
            for c in combos
            if nodes[root].deviation
        )
        if not carried:
            kept.append(root)
    return kept


def _similar(a: Finding, b: Finding, config: DetectionConfig) -> bool:
    big = max(abs(a.deviation), abs(b.deviation))
    return big > 0 and min(abs(a.deviation), abs(b.deviation)) / big >= config.explain_share


def _below(ancestor: dict[str, str], node: dict[str, str]) -> bool:
    return len(ancestor) < len(node) and all(node.get(k) == v for k, v in ancestor.items())


def _linked(root: dict[str, str], node: dict[str, str], root_tree: str | None, node_tree: str | None) -> bool:
    return _below(root, node) or _below(node, root) or (root_tree is not None and root_tree == node_tree)
