"""The experiment statistics on simulated experiments, with more simulations than the tests.

Prints, as markdown for docs/experiments.md: A/A false-positive rates when the dashboard is
read every day (sequential vs naive fixed-horizon), interval coverage of a known uplift, power
at the sample-size formula's size (and the sequential test's power at multiples of it), SRM
flag rates, and the cost of one ``analyse_experiment`` call. Seeded: the same ``--seed`` prints
the same figures.

    .venv/bin/python bench/experiments_simulation.py --sims 2000
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bff.experiments import VariantCounts, analyse_experiment
from bff.experiments.operating_characteristics import (
    interval_coverage,
    peeking_false_positives,
    power_at_planned_size,
    srm_flag_rate,
)

ALPHA = 0.05


def sd(rate: float, sims: int) -> str:
    return f"{math.sqrt(rate * (1 - rate) / sims):.3f}"


def peeking(rng: np.random.Generator, sims: int) -> None:
    print(
        "\n| A/A: rate, looks x daily exposures | sequential, any look | fixed, any look | fixed, last look |"
    )
    print("| --- | --- | --- | --- |")
    for rate, days, daily in ((0.05, 14, 2_000), (0.02, 14, 2_000), (0.05, 28, 2_000), (0.03, 14, 10_000)):
        r = peeking_false_positives(rng, sims, days, daily, rate)
        print(
            f"| {rate:.0%}, {days} x {daily:,} | {r.sequential_any_look:.3f} | {r.fixed_any_look:.3f} "
            f"| {r.fixed_last_look:.3f} |"
        )
    print(f"\nNominal 0.050; binomial sd at {sims} simulations: {sd(ALPHA, sims)}.")


def coverage(rng: np.random.Generator, sims: int) -> None:
    print("\n| A/B: control rate, true uplift | fixed, last look | sequential, every look at once |")
    print("| --- | --- | --- |")
    for rate, uplift, daily in ((0.05, 0.10, 2_000), (0.02, -0.15, 3_000), (0.03, 0.30, 1_000)):
        c = interval_coverage(rng, sims, rate, uplift, daily_exposures=daily)
        print(f"| {rate:.0%}, {uplift:+.0%} | {c.fixed_last_look:.3f} | {c.sequential_every_look:.3f} |")
    print(f"\nNominal 0.950; binomial sd at {sims} simulations: {sd(1 - ALPHA, sims)}.")


def power(rng: np.random.Generator, sims: int) -> None:
    print("\n| control rate, uplift | n per variant (formula) | size | fixed power | sequential power |")
    print("| --- | --- | --- | --- | --- |")
    for rate, uplift in ((0.05, 0.10), (0.03, 0.20)):
        for multiple in (1.0, 1.5, 2.0, 2.5):
            p = power_at_planned_size(rng, sims, rate, uplift, size_multiple=multiple)
            print(
                f"| {rate:.0%}, {uplift:+.0%} | {math.ceil(p.exposures_per_variant / multiple):,} | "
                f"{multiple:g} n | {p.fixed:.3f} | {p.sequential:.3f} |"
            )
    print(f"\nPlanned power 0.800; binomial sd at {sims} simulations: {sd(0.8, sims)}.")


def tuning(rng: np.random.Generator, sims: int) -> None:
    print("\n| tuning exposures | sequential power, 5% +10%, at 1 n / 2 n | A/A, 14 looks x 4,500 |")
    print("| --- | --- | --- |")
    for tuning_exposures in (5_000, 20_000, 62_468, 250_000):
        at_n = power_at_planned_size(rng, sims, 0.05, 0.10, tuning_exposures=tuning_exposures)
        at_2n = power_at_planned_size(
            rng, sims, 0.05, 0.10, tuning_exposures=tuning_exposures, size_multiple=2
        )
        aa = peeking_false_positives(rng, sims, 14, 4_500, 0.05, tuning_exposures=tuning_exposures)
        print(
            f"| {tuning_exposures:,} | {at_n.sequential:.3f} / {at_2n.sequential:.3f} "
            f"| {aa.sequential_any_look:.3f} |"
        )


def srm(rng: np.random.Generator, sims: int) -> None:
    fair = 100 * sims
    print("\n| split | exposures | SRM flag rate |")
    print("| --- | --- | --- |")
    fair_rate = srm_flag_rate(rng, fair, 20_000, [1, 1], [1, 1], 1e-3)
    print(f"| 50/50 served 50/50 ({fair:,} sims) | 20,000 | {fair_rate:.5f} |")
    for exposures in (5_000, 10_000, 20_000, 50_000):
        rate = srm_flag_rate(rng, sims, exposures, [50, 50], [52, 48], 1e-3)
        print(f"| 50/50 served 52/48 | {exposures:,} | {rate:.3f} |")


def analysis_cost() -> None:
    variants = [VariantCounts(chr(ord("A") + i), 20_000, 600 + 10 * i) for i in range(10)]
    runs = []
    for _ in range(7):
        start = time.perf_counter()
        for _ in range(100):
            analyse_experiment(variants, "A")
        runs.append((time.perf_counter() - start) / 100)
    print(f"\nanalyse_experiment, 10 variants: median {1000 * statistics.median(runs):.2f} ms per call.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sims", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    start = time.perf_counter()
    peeking(rng, args.sims)
    coverage(rng, args.sims)
    power(rng, args.sims)
    tuning(rng, args.sims)
    srm(rng, args.sims)
    analysis_cost()
    print(f"\n{args.sims:,} simulations per row, seed {args.seed}: {time.perf_counter() - start:.1f} s.")


if __name__ == "__main__":
    main()
