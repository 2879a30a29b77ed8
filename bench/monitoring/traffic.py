"""Synthetic traffic for the monitoring benchmarks: diurnal, many merchants, labelled anomalies.

A merchant's traffic is a set of *segments* (country x browser x device x channel x payment
method, with weights); each segment produces per-second Poisson counts of every counter:
impressions, views, clicks and interstitial opens from the frames; sessions, authorizations
(success or failure) and orders from the merchant's server. Rates follow a day curve
(trough at 04:00 UTC, peak at 16:00 UTC). Yesterday differs from today by a per-merchant
level drawn from N(1, 0.05) and by Poisson noise, so the yesterday baseline is realistic;
so do the earlier history days (``day_level_of``), each with its own level.

Injected anomalies (``Anomaly``) multiply some counters of some segments for a time:

* ``conversion_drop``: orders of one merchant x browser fall to 30%;
* ``auth_failure_spike``: authorizations in one country (every merchant) fail 40% of the time;
* ``outage``: a merchant sends nothing at all;
* ``slow_decline``: a merchant's whole traffic declines linearly to 40% over 60 minutes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from bff.monitoring.dimensions import TESTED_COMBINATIONS, combos_of
from bff.monitoring.metrics import COUNTER_INDEX, COUNTERS

COUNTRIES = ("SE", "DE", "GB", "NL", "FI", "NO")
BROWSERS = ("Chrome", "Mobile Safari", "Firefox", "Edge", "Samsung Internet")
DEVICES = {"Chrome": "desktop", "Mobile Safari": "mobile", "Firefox": "desktop", "Edge": "desktop",
           "Samsung Internet": "mobile"}  # fmt: skip
CHANNELS = ("direct", "search", "paid", "social", "email")
PAYMENT_METHODS = ("pay_in_4", "pay_later", "financing")
# per session: expected count of each counter
PER_SESSION = {"impression": 3.0, "view": 2.0, "click": 0.25, "interstitial_open": 0.12, "session": 1.0,
               "authorization": 0.15, "order_created": 0.12}  # fmt: skip
AUTH_SUCCESS = 0.95
KINDS = ("conversion_drop", "auth_failure_spike", "outage", "slow_decline")


@dataclass(frozen=True)
class Segment:
    merchant: str
    values: dict[str, str]
    weight: float  # share of the merchant's sessions


@dataclass(frozen=True)
class Anomaly:
    kind: str
    target: str  # the combo that should be named as root cause
    start_s: float
    duration_s: float
    merchant: str | None = None
    browser: str | None = None
    country: str | None = None


class Traffic:
    """Segments of every merchant and the combo incidence matrix (combos x segments)."""

    def __init__(self, merchants: int, seed: int = 1) -> None:
        rng = np.random.default_rng(seed)
        self.rng = rng
        self.segments: list[Segment] = []
        self.sessions_per_min: dict[str, float] = {}
        self.day_level: dict[str, float] = {}
        for i in range(merchants):
            name = f"m{i:04d}"
            # session volume per minute at the daily mean: lognormal, a few big merchants
            self.sessions_per_min[name] = float(np.clip(rng.lognormal(3.2, 1.0), 5, 3000))
            self.day_level[name] = float(rng.normal(1.0, 0.05))
            countries = rng.choice(COUNTRIES, size=int(rng.integers(1, 4)), replace=False)
            for _ in range(12):
                browser = str(rng.choice(BROWSERS, p=[0.45, 0.3, 0.1, 0.1, 0.05]))
                values = {"merchant": name, "country": str(rng.choice(countries)), "browser": browser,
                          "device": DEVICES[browser], "channel": str(rng.choice(CHANNELS)),
                          "payment_method": str(rng.choice(PAYMENT_METHODS))}  # fmt: skip
                self.segments.append(
                    Segment(name, values, float(rng.dirichlet([1.0])[0] * rng.uniform(0.2, 1)))
                )
        totals: dict[str, float] = {}
        for s in self.segments:
            totals[s.merchant] = totals.get(s.merchant, 0.0) + s.weight
        self.segments = [Segment(s.merchant, s.values, s.weight / totals[s.merchant]) for s in self.segments]
        self.combos, self.incidence = self._incidence()
        self._base = np.zeros((len(self.segments), len(COUNTERS)))
        for j, s in enumerate(self.segments):
            for counter, per in PER_SESSION.items():
                self._base[j, COUNTER_INDEX[counter]] = self.sessions_per_min[s.merchant] * s.weight * per
        self._yesterday_level = np.array([self.day_level[s.merchant] for s in self.segments])
        # earlier history days (2, 3, 7 days ago ...): their own levels and draws, from a
        # generator of their own, so today's and yesterday's draws do not depend on them
        self.history_rng = np.random.default_rng(seed + 10_000)
        self._day_levels: dict[int, np.ndarray] = {1: self._yesterday_level}

    def day_level_of(self, days_ago: int) -> np.ndarray:
        """Per segment, the level of the day ``days_ago`` days back (N(1, 0.05) per merchant)."""
        if days_ago not in self._day_levels:
            levels = {m: float(self.history_rng.normal(1.0, 0.05)) for m in self.sessions_per_min}
            self._day_levels[days_ago] = np.array([levels[s.merchant] for s in self.segments])
        return self._day_levels[days_ago]

    def _incidence(self) -> tuple[list[str], sparse.csr_matrix]:
        index: dict[str, int] = {}
        rows, cols = [], []
        for j, segment in enumerate(self.segments):
            # The combos the detector tests (the untested all-traffic ones never reach it).
            for combo in combos_of(segment.values, TESTED_COMBINATIONS):
                rows.append(index.setdefault(combo, len(index)))
                cols.append(j)
        matrix = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(index), len(self.segments)))
        return list(index), matrix

    def expected(
        self, t_s: float, seconds: float, anomalies: list[Anomaly], yesterday: bool = False, days_ago: int = 1
    ) -> np.ndarray:
        """Expected counts (segments x counters) over ``seconds`` from time of day ``t_s``
        (``yesterday``: of the day ``days_ago`` days back, without anomalies)."""
        day = 1.0 + 0.6 * math.sin(2 * math.pi * (t_s / 86400 - 10 / 24))
        rates = self._base * (day * seconds / 60)
        if yesterday:
            rates = rates * self.day_level_of(days_ago)[:, None]
        success = np.full(len(self.segments), AUTH_SUCCESS)
        if not yesterday:
            for anomaly in anomalies:
                if anomaly.start_s <= t_s < anomaly.start_s + anomaly.duration_s:
                    rates, success = self._apply(anomaly, t_s, rates, success)
        auth = rates[:, COUNTER_INDEX["authorization"]]
        rates[:, COUNTER_INDEX["authorization_success"]] = auth * success
        rates[:, COUNTER_INDEX["authorization_failure"]] = auth * (1 - success)
        return rates

    def _apply(
        self, a: Anomaly, t_s: float, rates: np.ndarray, success: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        rates = rates.copy()
        merchant = np.array([s.merchant == a.merchant for s in self.segments]) if a.merchant else None
        if a.kind == "conversion_drop" and merchant is not None:
            mask = merchant & np.array([s.values["browser"] == a.browser for s in self.segments])
            rates[mask, COUNTER_INDEX["order_created"]] *= 0.3
        elif a.kind == "auth_failure_spike":
            success = np.where(
                np.array([s.values["country"] == a.country for s in self.segments]), 0.6, success
            )
        elif a.kind == "outage" and merchant is not None:
            rates[merchant, :] = 0.0
        elif a.kind == "slow_decline" and merchant is not None:
            rates[merchant, :] *= 1.0 - 0.6 * min(1.0, (t_s - a.start_s) / 3600)
        return rates, success

    def sample(self, expected: np.ndarray, rng: np.random.Generator | None = None) -> np.ndarray:
        """Poisson counts aggregated to combos (combos x counters)."""
        counts = (rng or self.rng).poisson(expected)
        counts[:, COUNTER_INDEX["authorization"]] = (
            counts[:, COUNTER_INDEX["authorization_success"]]
            + counts[:, COUNTER_INDEX["authorization_failure"]]
        )
        return np.asarray(self.incidence @ counts)

    def plan_anomalies(self, per_kind: int) -> list[Anomaly]:
        """``per_kind`` anomalies of each kind on merchants with enough volume, start times unset (0)."""
        rng = self.rng
        big = sorted(self.sessions_per_min, key=self.sessions_per_min.get, reverse=True)  # type: ignore[arg-type]
        candidates = big[: max(10, len(big) // 4)]
        plan = []
        for kind in KINDS:
            for i in range(per_kind):
                merchant = str(rng.choice(candidates))
                if kind == "conversion_drop":
                    browsers = [s.values["browser"] for s in self.segments if s.merchant == merchant]
                    browser = max(set(browsers), key=browsers.count)
                    plan.append(
                        Anomaly(kind, f"merchant={merchant}|browser={browser}", 0, 20 * 60, merchant, browser)
                    )
                elif kind == "auth_failure_spike":
                    country = COUNTRIES[i % len(COUNTRIES)]
                    plan.append(Anomaly(kind, f"country={country}", 0, 15 * 60, country=country))
                elif kind == "outage":
                    plan.append(Anomaly(kind, f"merchant={merchant}", 0, 10 * 60, merchant))
                else:
                    plan.append(Anomaly(kind, f"merchant={merchant}", 0, 80 * 60, merchant))
        return plan
