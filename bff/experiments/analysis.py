"""``analyse_experiment``: the entry point a dashboard calls with a campaign's cumulative counts.

Contract: given one ``VariantCounts`` per variant, the control's name and the configured
weights (equal when omitted), it validates every input (``ValueError`` naming the field; see
``counts.py``) and returns an ``ExperimentResult``: per variant its conversion rate and average
order value with intervals, per non-control variant its ``Comparison`` with the control and its
``Verdict``, and one sample-ratio check over all variants. Each variant is compared with the
control at level ``alpha`` on its own; with many variants, expect about ``alpha`` of the
no-effect ones to be called (GrowthBook does not correct by default either).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from bff.experiments.comparison import Comparison, compare
from bff.experiments.counts import VariantCounts, check_level, validate_experiment
from bff.experiments.order_value import average_order_value
from bff.experiments.proportions import Estimate, conversion_rate
from bff.experiments.sequential import DEFAULT_TUNING_EXPOSURES
from bff.experiments.srm import SRM_THRESHOLD, SrmCheck, check_sample_ratio
from bff.experiments.verdict import Verdict, verdict_for


@dataclass(frozen=True)
class AnalysisSettings:
    """Levels of the analysis; ``relative_mde`` is the smallest relative change worth detecting."""

    alpha: float = 0.05
    relative_mde: float = 0.10
    power: float = 0.80
    tuning_exposures: float = DEFAULT_TUNING_EXPOSURES
    srm_threshold: float = SRM_THRESHOLD

    def __post_init__(self) -> None:
        check_level(self.alpha, "alpha")
        check_level(self.power, "power")
        check_level(self.srm_threshold, "srm_threshold")
        if not (math.isfinite(self.relative_mde) and self.relative_mde > 0):
            raise ValueError(f"relative_mde must be a positive fraction, got {self.relative_mde}")
        if not (math.isfinite(self.tuning_exposures) and self.tuning_exposures > 0):
            raise ValueError(f"tuning_exposures must be positive, got {self.tuning_exposures}")


@dataclass(frozen=True)
class VariantSummary:
    """One variant's counts, conversion rate and (with revenue) average order value."""

    name: str
    exposures: int
    conversions: int
    conversion_rate: Estimate | None
    average_order_value: Estimate | None


@dataclass(frozen=True)
class ExperimentResult:
    """Everything the experiment view shows, in the order of the variants given."""

    control: str
    variants: tuple[VariantSummary, ...]
    comparisons: tuple[Comparison, ...]
    srm: SrmCheck
    verdicts: tuple[Verdict, ...]


def _summary(variant: VariantCounts, alpha: float) -> VariantSummary:
    aov = None
    if variant.revenue_sum is not None and variant.revenue_sum_squares is not None:
        aov = average_order_value(
            variant.conversions, variant.revenue_sum, variant.revenue_sum_squares, alpha
        )
    return VariantSummary(
        name=variant.name,
        exposures=variant.exposures,
        conversions=variant.conversions,
        conversion_rate=conversion_rate(variant.conversions, variant.exposures, alpha),
        average_order_value=aov,
    )


def analyse_experiment(
    variants: Sequence[VariantCounts],
    control: str,
    weights: Sequence[float] | None = None,
    settings: AnalysisSettings | None = None,
) -> ExperimentResult:
    """Rates, comparisons with the control, the SRM check and a verdict per non-control variant."""
    settings = settings or AnalysisSettings()
    weights = [1.0] * len(variants) if weights is None else weights
    control_index = validate_experiment(variants, weights, control)
    baseline = variants[control_index]
    others = [v for i, v in enumerate(variants) if i != control_index]
    srm = check_sample_ratio(
        [v.name for v in variants], [v.exposures for v in variants], weights, settings.srm_threshold
    )
    comparisons = tuple(compare(baseline, v, settings.alpha, settings.tuning_exposures) for v in others)
    verdicts = tuple(
        verdict_for(c, baseline, v, srm, settings.alpha, settings.relative_mde, settings.power)
        for c, v in zip(comparisons, others, strict=True)
    )
    return ExperimentResult(
        control=control,
        variants=tuple(_summary(v, settings.alpha) for v in variants),
        comparisons=comparisons,
        srm=srm,
        verdicts=verdicts,
    )
