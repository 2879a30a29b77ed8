"""Experiment statistics for a campaign's variants: pure, no Flask, no Redis, no clock, no I/O.

The dashboard calls ``analyse_experiment(variants, control, weights, settings)`` with each
variant's cumulative ``VariantCounts`` and reads an ``ExperimentResult``. The modules, one
concept each, are listed in ``README.md``; the methods and their measured error rates are in
``docs/experiments.md``.
"""

from bff.experiments.analysis import AnalysisSettings, ExperimentResult, VariantSummary, analyse_experiment
from bff.experiments.comparison import Comparison, Interval
from bff.experiments.counts import VariantCounts
from bff.experiments.proportions import Estimate
from bff.experiments.sample_size import exposures_per_variant
from bff.experiments.srm import SrmCheck
from bff.experiments.verdict import Verdict, VerdictKind

__all__ = [
    "AnalysisSettings",
    "Comparison",
    "Estimate",
    "ExperimentResult",
    "Interval",
    "SrmCheck",
    "VariantCounts",
    "VariantSummary",
    "Verdict",
    "VerdictKind",
    "analyse_experiment",
    "exposures_per_variant",
]
