"""The merchants' servers of the alert-latency benchmark (``latency_bench.py``): each sends
its own traffic to ``events.track`` in ticks, with a switch for an anomaly (a spike or silence).
"""

from __future__ import annotations

import random
import threading
import time
import uuid
from typing import Any

import numpy as np
import requests

PROCESS_LIMIT_S = 900

COUNTRIES = ("SE", "DE", "GB", "NL", "FI", "NO")
AGENTS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.0 Mobile/15E148 Safari/604.1",
)
# events per second of one merchant: sessions, authorizations (5% fail), orders
RATES = {"session": 8.0, "authorization": 4.0, "order_created": 1.0}
FAILURE_RATE = 0.05


class Merchant:
    """One merchant's server: its key, its traffic (segments) and its anomaly switch.

    Its shoppers come from two countries (70/30), pay with two payment methods (60/40)
    and use two browsers (60/40), so its combos are not all copies of one another.
    """

    def __init__(self, name: str, key: str, countries: tuple[str, str], seed: int) -> None:
        self.name, self.key = name, key
        self.dimensions = {
            "country": ((countries[0], 0.7), (countries[1], 0.3)),
            "payment_method": (("pay_in_4", 0.6), ("pay_later", 0.4)),
            "user_agent": ((AGENTS[0], 0.6), (AGENTS[1], 0.4)),
        }
        self.rng = random.Random(seed)
        self.spike_rate = 0.0
        self.silent = False
        self.first_anomalous_accept: float | None = None
        self.last_accept: float | None = None
        self.errors = 0

    def segments(self) -> list[tuple[dict[str, str], float]]:
        """Every combination of the dimension values, with its share of the traffic."""
        out: list[tuple[dict[str, str], float]] = [({}, 1.0)]
        for name, choices in self.dimensions.items():
            out = [(values | {name: v}, share * w) for values, share in out for v, w in choices]
        return out

    def events(self, seconds: float, now_ms: int) -> tuple[list[dict[str, Any]], bool]:
        """The events of ``seconds`` of traffic; the flag says whether the batch is anomalous."""
        batch: list[dict[str, Any]] = []
        for kind, rate in RATES.items():
            for _ in range(_poisson(self.rng, rate * seconds)):
                batch.append(self.event(kind, now_ms, self.draw(), self.rng.random() < FAILURE_RATE))
        anomalous = self.spike_rate > 0
        for _ in range(_poisson(self.rng, self.spike_rate * seconds)):
            batch.append(self.event("authorization", now_ms, self.draw(), True))
        return batch, anomalous

    def draw(self) -> dict[str, str]:
        values = {}
        for name, choices in self.dimensions.items():
            values[name] = choices[0][0] if self.rng.random() < choices[0][1] else choices[1][0]
        return values

    def event(self, kind: str, now_ms: int, values: dict[str, str], failed: bool = False) -> dict[str, Any]:
        event: dict[str, Any] = {"id": uuid.uuid4().hex, "type": kind, "ts": now_ms}
        event |= {"country": values["country"], "user_agent": values["user_agent"]}
        if kind == "session":
            event["session_id"] = uuid.uuid4().hex[:16]
        if kind in ("authorization", "order_created"):
            event["payment_method"] = values["payment_method"]
        if kind == "authorization":
            event["outcome"] = "failure" if failed else "success"
        return event


def _poisson(rng: random.Random, mean: float) -> int:
    count, limit, product = 0, np.exp(-mean), rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def send_loop(base_url: str, merchant: Merchant, tick_s: float, stop: threading.Event) -> None:
    """Post a batch every ``tick_s`` until ``stop`` (bounded by the process time limit)."""
    session = requests.Session()
    session.headers.update({"Authorization": f"Bearer {merchant.key}", "User-Agent": "latency-bench/1"})
    deadline = time.monotonic() + PROCESS_LIMIT_S
    next_at = time.monotonic()
    while not stop.is_set() and time.monotonic() < deadline:
        next_at += tick_s
        if not merchant.silent:
            events, anomalous = merchant.events(tick_s, int(time.time() * 1000))
            if events:
                body: dict[str, Any] = {"jsonrpc": "2.0", "id": 1, "method": "events.track",
                                        "params": {"events": events}}  # fmt: skip
                try:
                    reply = session.post(f"{base_url}/rpc", json=body, timeout=10).json()
                    accepted = reply.get("result", {}).get("accepted", 0)
                except (requests.RequestException, ValueError):
                    accepted = 0
                now = time.time()
                if accepted:
                    merchant.last_accept = now
                    if anomalous and merchant.first_anomalous_accept is None:
                        merchant.first_anomalous_accept = now
                else:
                    merchant.errors += 1
        stop.wait(max(0.0, next_at - time.monotonic()))
