"""The detector process (``flask monitor detect``): sweeps over the rollups in Redis.

Every ``interval_s`` it sweeps the current minute up to the *applied watermark* (the time
up to which every received event has been counted: see ``stream.applied_watermark_ms``),
so a lagging worker never looks like a drop. When the watermark enters a new minute, the
closed minute gets one last sweep over its complete counts first. Closed minutes
(the previous one, and yesterday's around the same minute) are read once and cached.

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
from collections.abc import Callable
from typing import Any

import redis
import structlog

from bff.errors import StoreUnavailable
from bff.monitoring import keys, stream
from bff.monitoring.aggregation import MINUTE_MS
from bff.monitoring.alert_store import AlertStore
from bff.monitoring.evaluation import DetectionConfig, build_window
from bff.monitoring.hysteresis import RAISE, AlertState
from bff.monitoring.rollup_store import MinuteCounts, RollupStore
from bff.monitoring.sweep import SweepResult, sweep

log = structlog.get_logger(__name__)

DAY_MINUTES = 24 * 60
LEASE_MS = 10_000
CACHED_MINUTES = 16


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
        self._minutes: dict[int, MinuteCounts] = {}

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
        return self._sweep_minute(minute, (as_of - minute * MINUTE_MS) / MINUTE_MS, as_of)

    def _sweep_minute(self, minute: int, elapsed: float, as_of_ms: int) -> SweepResult:
        half = self.config.yesterday_minutes // 2
        same_yesterday = minute - DAY_MINUTES
        window = build_window(
            self.rollups.minute(minute),
            self._closed(minute - 1),
            [
                self._closed(m)
                for m in range(same_yesterday - half, same_yesterday - half + self.config.yesterday_minutes)
            ],
            elapsed,
        )
        result = sweep(window, self.states, as_of_ms, self.config)
        self.states = result.states
        for transition in result.transitions:
            if transition.kind == RAISE and transition.candidate is not None:
                alert = self.alerts.raise_alert(transition.candidate, transition.state, as_of_ms,
                                                minute_ms=minute * MINUTE_MS, elapsed=elapsed)  # fmt: skip
                self.states[transition.state.root] = dataclasses.replace(
                    transition.state, alert_id=alert["id"]
                )
                log.info("monitor.alert.raised", alert_id=alert["id"], root=alert["root"])
            elif transition.state.alert_id is not None:
                self.alerts.resolve(transition.state.alert_id, as_of_ms)
                log.info(
                    "monitor.alert.resolved", alert_id=transition.state.alert_id, root=transition.state.root
                )
        self._save_states()
        return result

    def _closed(self, minute: int) -> MinuteCounts:
        table = self._minutes.get(minute)
        if table is None:
            table = self._minutes[minute] = self.rollups.minute(minute)
            for old in sorted(self._minutes)[:-CACHED_MINUTES]:
                del self._minutes[old]
        return table

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
