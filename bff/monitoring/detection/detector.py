"""The detector process (``flask monitor detect``): sweeps over the rollups in Redis.

Every ``interval_s`` it sweeps the current minute up to the *applied watermark* (the time
up to which every received event has been counted: see ``stream.applied_watermark_ms``),
so a lagging worker never looks like a drop. When the watermark enters a new minute, the
closed minute gets one last sweep over its complete counts first (the *closing sweep*: it
also tests the count windows and the drift, whose results the next minute's sweeps carry:
``long_span_tests``). Closed minutes (the
previous one, yesterday's around the same minute, and the sliding windows of today and
yesterday: ``evaluation.spans_of``) are read once and kept as aligned matrices
(``minute_matrices``); their sums are computed once per minute, so a sweep reads and
converts only the open minute. The seasonal spans (``seasonal_spans.plan_spans``: the
same minutes on every history day) are summed the same way, sliding by one minute per
minute (``RangeSums``).

Only one detector is active at a time: it holds a lease in Redis (renewed every sweep);
others started alongside wait for it to lapse, so a standby takes over within
``LEASE_MS``. Alert states are saved after every sweep, so a new detector resumes them.
"""

from __future__ import annotations

import dataclasses
import json
import os
import socket
import time
from collections import deque
from collections.abc import Callable
from typing import Any

import numpy as np
import redis
import structlog

from bff.errors import StoreUnavailable
from bff.monitoring import keys
from bff.monitoring.alerts.store import AlertStore
from bff.monitoring.detection.config import DetectionConfig
from bff.monitoring.detection.hysteresis import MOVE, RAISE, RESOLVE, AlertState
from bff.monitoring.detection.long_span_tests import LongSpanTests
from bff.monitoring.detection.seasonal_spans import (
    CURRENT,
    RangeSums,
    SpanTotals,
    plan_spans,
    seasonal_span,
    span_totals,
    with_presence,
)
from bff.monitoring.detection.sweep import SweepResult, Transition, sweep
from bff.monitoring.detection.sweep_window import DAY_MINUTES, Window, spans_of
from bff.monitoring.dimensions import is_tested
from bff.monitoring.ingest import stream
from bff.monitoring.metrics import COUNTERS
from bff.monitoring.rollups.aggregation import MINUTE_MS
from bff.monitoring.rollups.minute_matrices import Matrix, MinuteMatrices, Rows, pad
from bff.monitoring.rollups.store import MinuteCounts, RollupStore

log = structlog.get_logger(__name__)

LEASE_MS = 10_000
SNAPSHOT_EVERY_MS = 1_000


class Detector:
    """Sweeps and acts on transitions; ``now_ms`` is passed in so tests and benches control time."""

    def __init__(
        self, client: redis.Redis, config: DetectionConfig | None = None, name: str | None = None
    ) -> None:
        self.client = client
        self.config = config or DetectionConfig()
        self.name = name or f"{socket.gethostname()}-{os.getpid()}"
        self.rollups = RollupStore(client)
        self.alerts = AlertStore(client)
        self.states: dict[str, AlertState] = self._load_states()
        self.last_minute: int | None = None
        self.matrices = MinuteMatrices()
        self._sums: tuple[int, dict[str, Matrix]] | None = None
        self._span_totals: tuple[SpanTotals, ...] = ()
        self._ranges = RangeSums(self.matrices.add_into, len(COUNTERS))
        self._snapshots: deque[tuple[int, int, Rows, Matrix]] = deque()
        self._long: tuple[int, LongSpanTests] | None = None  # of the last closing sweep

    def run(
        self, should_stop: Callable[[], bool], interval_s: float = 0.5, clock: Callable[[], float] = time.time
    ) -> None:
        """Sweep every ``interval_s`` while holding the lease, until ``should_stop()``."""
        while not should_stop():
            started = time.monotonic()
            try:
                if self.hold_lease(int(clock() * 1000)):
                    self.sweep_once(int(clock() * 1000))
            except (StoreUnavailable, redis.RedisError) as exc:
                log.warning("monitor.detector.redis_unavailable", error=type(exc).__name__)
            time.sleep(max(0.0, interval_s - (time.monotonic() - started)))

    def hold_lease(self, now_ms: int) -> bool:
        """Take or renew the single-detector lease; False while another detector holds it."""
        lease = f"{keys.PREFIX}:detector:lease"
        if self.client.set(lease, self.name, px=LEASE_MS, nx=True):
            return True
        holder = self.client.get(lease)
        if holder is not None and (holder.decode() if isinstance(holder, bytes) else holder) == self.name:
            self.client.pexpire(lease, LEASE_MS)
            return True
        return False

    def sweep_once(self, now_ms: int) -> SweepResult:
        """Sweep up to the applied watermark (closing a finished minute first)."""
        as_of = stream.applied_watermark_ms(self.client, now_ms)
        minute = as_of // MINUTE_MS
        if self.last_minute is not None and minute > self.last_minute:
            self._sweep_minute(self.last_minute, 1.0, (self.last_minute + 1) * MINUTE_MS - 1)
        self.last_minute = minute
        result = self._sweep_minute(minute, (as_of - minute * MINUTE_MS) / MINUTE_MS, as_of)
        self.prefetch(minute)
        return result

    def prefetch(self, minute: int) -> bool:
        """Read one history-day minute the next minute's sweeps will need, if any is missing.

        Those minutes closed days ago: reading them one per sweep during the minute leaves
        the first sweep of the next minute only today's closed minute to read, as before the
        history days. Returns whether a minute was read.
        """
        upcoming = {m for plan in plan_spans(minute + 1, self.config) for m in plan.all_minutes()}
        for m in sorted(upcoming):
            if m < minute - DAY_MINUTES // 2 and m not in self.matrices:
                self.matrices.put(m, self._tested(self.rollups.minute(m)))
                return True
        return False

    def _sweep_minute(self, minute: int, elapsed: float, as_of_ms: int) -> SweepResult:
        closing = elapsed >= 1.0
        self._closed_sums(minute)  # first: renumbering the combo rows drops the carried results
        carried = None if closing or self._long is None or self._long[0] != minute - 1 else self._long[1]
        window = self.window(minute, elapsed, as_of_ms, long_spans=carried)
        result = sweep(window, self.states, as_of_ms, self.config)
        if closing and result.evaluation.long_spans is not None:
            self._long = (minute, result.evaluation.long_spans)
        self.states = result.states
        for transition in result.transitions:
            self.act(transition, as_of_ms, minute, elapsed)
        self._save_states()
        return result

    def act(self, transition: Transition, as_of_ms: int, minute: int, elapsed: float) -> None:
        """Store and notify one transition: raise a new alert, move an open one, or resolve it."""
        alert_id = transition.state.alert_id
        if transition.kind == RAISE and transition.candidate is not None:
            alert = self.alerts.raise_alert(transition.candidate, transition.state, as_of_ms,
                                            minute_ms=minute * MINUTE_MS, elapsed=elapsed)  # fmt: skip
            self.states[transition.state.root] = dataclasses.replace(transition.state, alert_id=alert["id"])
            log.info("monitor.alert.raised", alert_id=alert["id"], root=alert["root"])
        elif transition.kind == MOVE and alert_id is not None and transition.candidate is not None:
            self.alerts.move(alert_id, transition.candidate, as_of_ms)
            log.info("monitor.alert.moved", alert_id=alert_id, root=transition.state.root,
                     previous_root=transition.previous_root)  # fmt: skip
        elif transition.kind == RESOLVE and alert_id is not None:
            self.alerts.resolve(alert_id, as_of_ms)
            log.info("monitor.alert.resolved", alert_id=alert_id, root=transition.state.root)

    def window(
        self,
        minute: int,
        elapsed: float,
        as_of_ms: int | None = None,
        long_spans: LongSpanTests | None = None,
    ) -> Window:
        """The counts a sweep of ``minute`` compares: the open minute (read now) and closed ones.

        With ``as_of_ms`` (the data's time), the counts of the last ``recent_seconds`` are the
        difference with a snapshot of the open minute taken that long ago (plus the rest of
        the previous minute when the snapshot was taken in it). With ``long_spans`` (carried
        from the previous minute's closing sweep) only the current minute's seasonal span is
        built.
        """
        sums = self._closed_sums(minute)
        rows, values = self.matrices.sparse(self._tested(self.rollups.minute(minute)))
        size = len(self.matrices)
        current = self.matrices.dense(rows, values, size)
        closed = {name: pad(matrix, size) for name, matrix in sums.items()}
        recent, recent_elapsed = None, 0.0
        if as_of_ms is not None and self.config.recent_seconds > 0:
            recent, recent_elapsed = self._recent(minute, as_of_ms, current, closed["previous"], size)
            self._snapshot(minute, as_of_ms, rows, values)
        return Window(
            tuple(self.matrices.names), current, closed["previous"], closed["yesterday"], elapsed,
            self.config.yesterday_minutes, window_current=closed["window"] + current,
            window_yesterday=closed["window_yesterday"], window_previous=closed["window_previous"],
            window_minutes=self.config.window_minutes if self.config.windowed else 0,
            window_yesterday_minutes=len(spans_of(minute, self.config).window_yesterday),
            recent=recent, recent_elapsed=recent_elapsed,
            seasonal=with_presence(seasonal_span(t, current, elapsed, size) for t in self._span_totals
                                   if long_spans is None or t.plan.name == CURRENT),
            long_spans=long_spans,
        )  # fmt: skip

    def _recent(
        self, minute: int, as_of_ms: int, current: Matrix, previous: Matrix, size: int
    ) -> tuple[Matrix | None, float]:
        """Counts since the newest snapshot at least ``recent_seconds`` old, and their span in minutes."""
        target = as_of_ms - self.config.recent_seconds * 1000
        older = [s for s in self._snapshots if s[0] <= target]
        if not older:
            return None, 0.0
        then, then_minute, rows, values = older[-1]
        before = self.matrices.dense(rows, values, size)
        if then_minute == minute:
            recent = current - before
        elif then_minute == minute - 1:
            recent = current + previous - before
        else:
            return None, 0.0
        return np.maximum(recent, 0.0), (as_of_ms - then) / MINUTE_MS

    def _snapshot(self, minute: int, as_of_ms: int, rows: Rows, values: Matrix) -> None:
        """Keep the open minute's counts about once a second for the recent-seconds tests."""
        if self._snapshots and as_of_ms - self._snapshots[-1][0] < SNAPSHOT_EVERY_MS:
            return
        self._snapshots.append((as_of_ms, minute, rows, values))
        horizon = as_of_ms - 2 * self.config.recent_seconds * 1000 - SNAPSHOT_EVERY_MS
        while len(self._snapshots) > 1 and self._snapshots[1][0] <= horizon:
            self._snapshots.popleft()

    def _closed_sums(self, minute: int) -> dict[str, Matrix]:
        """Sums of the closed minutes ``minute`` is compared with, computed once per minute."""
        if self._sums is not None and self._sums[0] == minute:
            return self._sums[1]
        spans = spans_of(minute, self.config)
        plans = plan_spans(minute, self.config)
        needed = spans.minutes().union(*(plan.all_minutes() for plan in plans))
        for m in sorted(needed - {m for m in needed if m in self.matrices}):
            self.matrices.put(m, self._tested(self.rollups.minute(m)))
        # the minute before each range too: a range sliding by a minute subtracts it
        if self.matrices.retain(needed | {m - 1 for m in needed}):
            self._snapshots.clear()  # rows were renumbered
            self._ranges.reset()
            self._long = None
        self._ranges.advance()
        sums = {
            "previous": self.matrices.total([spans.previous]),
            "yesterday": self.matrices.total(spans.yesterday),
            "window": self.matrices.total(spans.window),
            "window_yesterday": self.matrices.total(spans.window_yesterday),
            "window_previous": self.matrices.total(spans.window_previous),
        }
        size = len(self.matrices)
        self._span_totals = tuple(span_totals(plan, lambda r: self._ranges.total(r, size)) for plan in plans)
        self._sums = (minute, sums)
        return sums

    @staticmethod
    def _tested(table: MinuteCounts) -> MinuteCounts:
        """The combos of a minute table the detector tests (``dimensions.is_tested``)."""
        return {combo: counts for combo, counts in table.items() if is_tested(combo)}

    def _save_states(self) -> None:
        payload = json.dumps([dataclasses.asdict(s) for s in self.states.values()])
        self.client.set(keys.detector_state(), payload)

    def _load_states(self) -> dict[str, AlertState]:
        raw = self.client.get(keys.detector_state())
        states: dict[str, AlertState] = {}
        for item in json.loads(raw) if raw else []:
            item["metrics"] = tuple(item.get("metrics", ()))
            states[item["root"]] = AlertState(**item)
        return states


def describe_state(state: AlertState) -> dict[str, Any]:
    return dataclasses.asdict(state)
