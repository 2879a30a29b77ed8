"""Root-cause grouping: the findings of one sweep -> one candidate alert per root cause (pure).

Combos form a lattice: ``*`` (all traffic) is the parent of ``merchant=m`` and
``country=c``; ``merchant=m`` of ``merchant=m|browser=b`` and so on. For each metric and
direction separately:

1. A finding is **explained** by its children along one dimension when at most
   ``max_explaining_children`` of them (themselves findings) carry at least
   ``explain_share`` of its deviation while holding at least ``explain_margin`` less of
   its volume: the change is concentrated in them. A merchant-wide outage is not
   explained by its browsers (each carries its volume share of the drop); a conversion
   drop of one browser explains the merchant's dip.
2. Unexplained findings are root candidates; a candidate below another candidate in the
   lattice is absorbed by it; and of two candidates of the same merchant (or both
   cross-merchant) whose deviations are within ``explain_share`` of each other (the same
   missing events seen along two dimensions, e.g. Firefox and desktop), the one with the
   smaller volume, the more specific, is kept.
   A root whose deviation is mostly carried by one child lying under another root (a
   country dropping because one of its big merchants is down) is dropped as well.
3. Every other finding is attached, as related, to the root it is linked to (ancestor,
   descendant or same merchant) with the largest deviation.

``sticky`` roots (alerts already pending or open) always stay roots, so an incident keeps
its name from one sweep to the next. Candidates from several metrics that share a root
are merged into one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from bff.monitoring.dimensions import merchant_of, parse_combo
from bff.monitoring.evaluation import DetectionConfig, Finding

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
        groups[(finding.metric, finding.direction)].append(finding)
    candidates: dict[str, Candidate] = {}
    for group in groups.values():
        group.sort(key=lambda f: f.p_value)
        for root, own, related in _group_one(group[:MAX_FINDINGS_PER_GROUP], config, sticky_roots):
            candidate = candidates.setdefault(root, Candidate(root))
            candidate.evidence.append(own)
            candidate.related.extend(related)
    return sorted(candidates.values(), key=lambda c: (c.best_p, c.root))


def _group_one(
    group: list[Finding], config: DetectionConfig, sticky: set[str]
) -> list[tuple[str, Finding, list[Finding]]]:
    nodes = {f.combo: f for f in group}
    pairs = {combo: parse_combo(combo) for combo in nodes}
    children = _children_by_dimension(nodes, pairs)
    explainer = {c: _explainer(nodes[c], children.get(c, {}), nodes, config) for c in nodes}
    roots = [c for c in nodes if c in sticky or explainer[c] is None]
    roots = [r for r in roots if r in sticky or not any(o != r and _below(pairs[o], pairs[r]) for o in roots)]
    roots = _merge_overlaps(roots, nodes, sticky, config)
    roots = _drop_roots_carried_by_other_roots(roots, nodes, pairs, children, sticky, config)
    owner: dict[str, str] = {r: r for r in roots}
    for combo in nodes:
        links = [r for r in roots if _linked(pairs[r], pairs[combo], r, combo)]
        if combo not in owner and links:
            owner[combo] = max(links, key=lambda r: abs(nodes[r].deviation))
    for combo in nodes:
        if combo not in owner:
            owner[combo] = _owner_through_explainers(combo, owner, explainer)
    related: dict[str, list[Finding]] = defaultdict(list)
    for combo, root in owner.items():
        if combo != root:
            related[root].append(nodes[combo])
    return [(root, nodes[root], related[root]) for root in dict.fromkeys(owner.values())]


def _owner_through_explainers(combo: str, owner: dict[str, str], explainer: dict[str, str | None]) -> str:
    """The root owning the child that explains ``combo`` (transitively), else ``combo`` itself."""
    seen: set[str] = set()
    step: str | None = combo
    while step is not None and step not in seen:
        if step in owner:
            return owner[step]
        seen.add(step)
        step = explainer.get(step)
    return combo


def _children_by_dimension(
    nodes: dict[str, Finding], pairs: dict[str, dict[str, str]]
) -> dict[str, dict[str, list[str]]]:
    """parent combo -> dimension -> child combos (findings adding exactly that dimension)."""
    children: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    by_pairs = {tuple(sorted(p.items())): combo for combo, p in pairs.items()}
    for combo, p in pairs.items():
        for dim in p:
            parent = tuple(sorted((k, v) for k, v in p.items() if k != dim))
            if parent in by_pairs:
                children[by_pairs[parent]][dim].append(combo)
    return children


def _explainer(
    finding: Finding, children: dict[str, list[str]], nodes: dict[str, Finding], config: DetectionConfig
) -> str | None:
    """The biggest child of the children that explain ``finding``, or None when none do."""
    if finding.deviation == 0 or finding.volume <= 0:
        return None
    for combos in children.values():
        top = sorted(combos, key=lambda c: -abs(nodes[c].deviation))[: config.max_explaining_children]
        dev_share = sum(nodes[c].deviation for c in top) / finding.deviation
        volume_share = sum(nodes[c].volume for c in top) / finding.volume
        if dev_share >= config.explain_share and volume_share <= dev_share - config.explain_margin:
            return top[0]
    return None


def _merge_overlaps(
    roots: list[str], nodes: dict[str, Finding], sticky: set[str], config: DetectionConfig
) -> list[str]:
    kept: list[str] = []
    for root in sorted(roots, key=lambda r: (r not in sticky, nodes[r].volume, -r.count("|"))):
        twin = next(
            (k for k in kept if _same_tree(k, root) and _similar(nodes[k], nodes[root], config)), None
        )
        if twin is None or root in sticky:
            kept.append(root)
    return kept


def _drop_roots_carried_by_other_roots(
    roots: list[str],
    nodes: dict[str, Finding],
    pairs: dict[str, dict[str, str]],
    children: dict[str, dict[str, list[str]]],
    sticky: set[str],
    config: DetectionConfig,
) -> list[str]:
    """Drop a root whose deviation is mostly one child lying under another root.

    A big merchant's outage also drops its country (``country=FI``): the country's change
    is carried by ``merchant=m|country=FI``, a descendant of the root ``merchant=m``.
    """
    kept = []
    for root in roots:
        carried = root not in sticky and any(
            nodes[c].deviation / nodes[root].deviation >= config.explain_share
            and any(o != root and _below(pairs[o], pairs[c]) for o in roots)
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


def _same_tree(a: str, b: str) -> bool:
    return merchant_of(a) == merchant_of(b)


def _below(ancestor: dict[str, str], node: dict[str, str]) -> bool:
    return len(ancestor) < len(node) and all(node.get(k) == v for k, v in ancestor.items())


def _linked(root: dict[str, str], node: dict[str, str], root_key: str, node_key: str) -> bool:
    return (
        _below(root, node)
        or _below(node, root)
        or (merchant_of(root_key) is not None and merchant_of(root_key) == merchant_of(node_key))
    )
