"""Which findings explain which: rule 1 of the root-cause grouping and its extensions (pure).

``grouping`` states the rules; this module holds the ones about explanation:

* ``explainers``: a finding is **explained** by at most ``max_explaining_children`` of its
  children along one dimension (themselves findings) that carry at least ``explain_share``
  of its deviation (or half of it, with the rest within ``explain_z`` standard errors of
  noise: ``_remainder_is_noise``) while holding at least ``explain_margin`` less of its
  volume. A child that carries the change but also the parent's volume (the only
  campaign of a merchant is the merchant again) passes the explanation on: the parent is
  explained *through* it when the child's own explainer explains the parent by the same
  rule (``merchant=m`` through ``merchant=m|campaign=c`` by ``...|variant=B``).
* ``drop_slices_of_explained_parents``: a root candidate of a merchant that is a slice,
  along another dimension, of a parent whose change another root of the same merchant
  carries alone is not a root (``merchant=m|browser=Chrome``, 70% of the merchant's
  impressions, while ``merchant=m|campaign=c|variant=B`` carries the merchant's drop).
* ``owner_through_explainers``: a finding with no linked root follows its explainers.
"""

from __future__ import annotations

import math
from collections import defaultdict

from bff.monitoring.detection.config import DetectionConfig
from bff.monitoring.detection.findings import Finding
from bff.monitoring.dimensions import GLOBAL, merchant_of
from bff.monitoring.metrics import is_rate


def children_by_dimension(
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
        carried = dev_share >= config.explain_share or (
            dev_share >= 0.5 and _remainder_is_noise(finding, [nodes[c] for c in top], config)
        )
        if carried and volume_share <= dev_share - config.explain_margin:
            return top[0]
    return None


def explainers(
    nodes: dict[str, Finding], children: dict[str, dict[str, list[str]]], config: DetectionConfig
) -> dict[str, str | None]:
    """Per finding, the child that explains it (rule 1, then through twins), or None: a root candidate."""
    explainer = {c: _explainer(nodes[c], children.get(c, {}), nodes, config) for c in nodes}
    _explain_through_twins(nodes, children, explainer, config)
    return explainer


def _explain_through_twins(
    nodes: dict[str, Finding],
    children: dict[str, dict[str, list[str]]],
    explainer: dict[str, str | None],
    config: DetectionConfig,
) -> None:
    """Explain a parent through a child carrying its change whose explainer explains the parent too.

    Deepest combos first, so a chain of such children resolves; the explainer tested is
    the end of the child's chain. ``explainer[parent]`` becomes that child, so the parent's
    findings follow the chain to its root.
    """
    for combo in sorted(nodes, key=lambda c: -c.count("|")):
        parent = nodes[combo]
        if explainer[combo] is not None or parent.deviation == 0 or parent.volume <= 0:
            continue
        for child in (c for combos in children.get(combo, {}).values() for c in combos):
            through = _explained_by(child, explainer)  # the end of the child's chain
            if through is None or nodes[child].deviation / parent.deviation < config.explain_share:
                continue
            share = nodes[through].deviation / parent.deviation
            if (
                share >= config.explain_share
                and nodes[through].volume / parent.volume <= share - config.explain_margin
            ):
                explainer[combo] = child
                break


def drop_slices_of_explained_parents(
    roots: list[str],
    nodes: dict[str, Finding],
    explainer: dict[str, str | None],
    sticky: set[str],
    config: DetectionConfig,
) -> list[str]:
    """Roots less their slices of a parent explained by another root of their merchant alone.

    A slice changes at most as much as its parent, and the other root carries at least
    ``explain_share`` of the parent's change by itself (two roots explaining a parent jointly
    are two incidents). Dropped slices attach to that root later (same merchant: linked).
    """
    root_set = set(roots)
    kept = []
    for root in roots:
        merchant = merchant_of(root)
        dropped = False
        for parent in _parents(root) if merchant is not None and root not in sticky else ():
            found = nodes.get(parent)
            if found is None or not found.deviation or nodes[root].deviation / found.deviation > 1.0:
                continue
            end = _explained_by(parent, explainer)
            if (
                end in root_set
                and end != root
                and merchant_of(end) == merchant
                and nodes[end].deviation / found.deviation >= config.explain_share
            ):
                dropped = True
                break
        if not dropped:
            kept.append(root)
    return kept


def _parents(combo: str) -> list[str]:
    """The combos with one of ``combo``'s pairs left out (``*`` for a single pair)."""
    parts = combo.split("|")
    return ["|".join(parts[:i] + parts[i + 1 :]) or GLOBAL for i in range(len(parts))]


def _explained_by(combo: str, explainer: dict[str, str | None]) -> str | None:
    """The end of ``combo``'s chain of explainers; None when nothing explains it."""
    seen = {combo}
    step = explainer.get(combo)
    while step is not None and explainer.get(step) is not None and step not in seen:
        seen.add(step)
        step = explainer[step]
    return step


def _remainder_is_noise(parent: Finding, children: list[Finding], config: DetectionConfig) -> bool:
    """Whether the parent's deviation outside ``children`` is within ``explain_z`` standard errors.

    The remainder is the parent minus the children: for a rate, ``trials`` and expected
    successes subtract, and its null variance is binomial; for a count the expected counts
    subtract, and its variance is the negative binomial's ``mu + dispersion mu^2``. The
    children's share of the deviation alone is noisy when they are small: the global
    authorization rate dips by 46 where one country's failures account for 37 and the other
    countries' noise for the rest.
    """
    if config.explain_z <= 0 or parent.trials <= 0 or any(c.trials <= 0 for c in children):
        return False
    rest = parent.deviation - sum(c.deviation for c in children)
    if is_rate(parent.metric):
        trials = parent.trials - sum(c.trials for c in children)
        expected = parent.trials * parent.expected - sum(c.trials * c.expected for c in children)
        if trials <= 0:
            return False
        rate = min(max(expected / trials, 0.0), 1.0)
        variance = trials * rate * (1.0 - rate)
    else:
        mu = parent.trials - sum(c.trials for c in children)
        variance = max(mu, 0.0) + config.dispersion * max(mu, 0.0) ** 2
    return bool(abs(rest) <= config.explain_z * math.sqrt(max(variance, 1.0)))


def owner_through_explainers(combo: str, owner: dict[str, str], explainer: dict[str, str | None]) -> str:
    """The root owning the child that explains ``combo`` (transitively), else ``combo`` itself."""
    seen: set[str] = set()
    step: str | None = combo
    while step is not None and step not in seen:
        if step in owner:
            return owner[step]
        seen.add(step)
        step = explainer.get(step)
    return combo
