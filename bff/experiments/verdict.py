"""The verdict on one variant: a kind from a fixed set, and a sentence a merchant can act on.

Contract: ``verdict_for(comparison, control, variant, srm, ...)`` reads the always-valid
(sequential) test, never the fixed-horizon one, because the dashboard is read every day. In
order:

1. ``check_split`` when the sample-ratio check fired: no winner is named, whatever the data say.
2. ``better`` / ``worse`` when the sequential p-value is below ``alpha`` (equivalently its
   interval excludes 0), with the uplift and that interval.
3. ``no_difference`` when the sequential interval lies within ``-mde .. +mde``, or when both
   arms have reached the fixed-horizon sample size for ``mde`` at ``power``: the sentence
   says which changes the interval rules out.
4. ``not_enough_data`` otherwise (also while ``comparison.estimable`` is False), with the
   exposures per variant still needed to detect ``mde`` at ``power``, from the control's rate.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bff.experiments.comparison import MIN_OUTCOMES, Comparison, Interval
from bff.experiments.counts import VariantCounts
from bff.experiments.sample_size import exposures_per_variant
from bff.experiments.srm import SrmCheck


class VerdictKind(StrEnum):
    """The fixed set of verdicts."""

    CHECK_SPLIT = "check_split"
    BETTER = "better"
    WORSE = "worse"
    NO_DIFFERENCE = "no_difference"
    NOT_ENOUGH_DATA = "not_enough_data"


@dataclass(frozen=True)
class Verdict:
    """What to tell the merchant about ``variant``; ``exposures_needed`` is per variant, when known."""

    variant: str
    kind: VerdictKind
    sentence: str
    exposures_needed: int | None = None


def percent(fraction: float) -> str:
    """``0.0412`` as ``+4.1%``: signed, one decimal."""
    return f"{100 * fraction:+.1f}%"


def _with_interval(uplift: float, interval: Interval) -> str:
    return f"{percent(uplift)} [{percent(interval.low)}, {percent(interval.high)}]"


def _required(control: VariantCounts, relative_mde: float, alpha: float, power: float) -> int | None:
    if control.exposures == 0:
        return None
    baseline = control.conversions / control.exposures
    if not 0 < baseline < 1 or baseline * (1 + relative_mde) >= 1:
        return None
    return exposures_per_variant(baseline, relative_mde, alpha, power)


def _not_enough(
    comparison: Comparison, control: VariantCounts, variant: VariantCounts, required: int | None, plan: str
) -> Verdict:
    pair = f"{variant.name} against {control.name}"
    if comparison.relative_uplift is not None and comparison.relative_sequential is not None:
        pair += f" ({_with_interval(comparison.relative_uplift, comparison.relative_sequential)})"
    else:
        pair += f" (the two need {MIN_OUTCOMES} conversions and {MIN_OUTCOMES} non-conversions first)"
    if required is None:
        reason = (
            f"{control.name} has no exposures yet"
            if control.exposures == 0
            else f"at {control.name}'s conversion rate of {control.conversions / control.exposures:.1%}"
        )
        return Verdict(
            variant=variant.name,
            kind=VerdictKind.NOT_ENOUGH_DATA,
            sentence=f"Not enough data yet for {pair}; {reason}, the sample size needed {plan} is unknown.",
        )
    needed = max(0, required - min(control.exposures, variant.exposures))
    return Verdict(
        variant=variant.name,
        kind=VerdictKind.NOT_ENOUGH_DATA,
        sentence=f"Not enough data yet for {pair}: about {needed:,} more exposures per variant {plan}.",
        exposures_needed=needed,
    )


def verdict_for(
    comparison: Comparison,
    control: VariantCounts,
    variant: VariantCounts,
    srm: SrmCheck,
    alpha: float = 0.05,
    relative_mde: float = 0.10,
    power: float = 0.80,
) -> Verdict:
    """The verdict on ``variant`` against ``control`` (see the module docstring for the rules)."""
    if srm.mismatch:
        return Verdict(
            variant=variant.name,
            kind=VerdictKind.CHECK_SPLIT,
            sentence=f"Check the split before reading {variant.name} against {control.name}: the assignment "
            "counts do not match the configured weights, so no winner can be named.",
        )
    required = _required(control, relative_mde, alpha, power)
    plan = f"to detect a {relative_mde:.0%} change with {power:.0%} power"
    uplift, interval, p_value = (
        comparison.relative_uplift,
        comparison.relative_sequential,
        comparison.p_value_sequential,
    )
    if uplift is None or interval is None or p_value is None:
        return _not_enough(comparison, control, variant, required, plan)
    figures = _with_interval(uplift, interval)
    if p_value < alpha:
        kind, word = (VerdictKind.BETTER, "better") if uplift > 0 else (VerdictKind.WORSE, "worse")
        return Verdict(variant.name, kind, f"{variant.name} {word} than {control.name} ({figures}).")
    reached = required is not None and min(control.exposures, variant.exposures) >= required
    if reached or -relative_mde < interval.low <= interval.high < relative_mde:
        return Verdict(
            variant.name,
            VerdictKind.NO_DIFFERENCE,
            f"No difference detected between {variant.name} and {control.name} ({figures}): the interval "
            f"rules out an uplift larger than {percent(interval.high)} and a drop larger than "
            f"{-100 * interval.low:.1f}%.",
        )
    return _not_enough(comparison, control, variant, required, plan)
