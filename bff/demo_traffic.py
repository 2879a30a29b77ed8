"""``flask --app bff demo traffic``: simulated shoppers through the real public endpoints.

``replay(config, should_stop, out)`` runs for ``config.duration_s`` seconds (or until
``should_stop()``: SIGINT/SIGTERM), every ``TICK_S`` letting about ``rate * TICK_S`` new
shoppers (``bff.demo_shoppers``) arrive, each:

1. rendered by ``POST /rpc placements.render`` with its User-Agent (the variant it gets is
   the real decision);
2. reported as a ``session`` by the demo merchant's server (``events.track`` with the demo
   merchant's API key, ``bff.demo_merchant_server``);
3. its frame events sent to ``POST /rpc/collect`` as our frames send them (no key, the
   shopper's User-Agent, one call per User-Agent per tick);
4. its order, if any, reported by the merchant's server with the visit id, and by the
   confirmation page (``source: "client"``) half of the time: one order, deduplicated.

From ``config.anomaly_after_s`` on, Firefox shoppers' impressions stop arriving (the
detector's ``merchant=demo|browser=Firefox`` impressions drop, and Slack is told); the
line saying so gives its UTC time, to compare with the alert's. ``start_anomaly`` starts it
earlier (``demo traffic``: on SIGUSR1, when the audience is watching).

Frame events share the per-address budget (``ONSITE_EVENTS_RATE_PER_IP``, 50 a second) with
a real browser on the same machine: a refused call (-32005) is resent once after its
``retry_after_s`` and otherwise counted as dropped. Every HTTP call has a timeout; the run
is bounded (``MAX_DURATION_S``, ``MAX_RATE``). The outcome is a ``TrafficReport``.
"""

from __future__ import annotations

import functools
import math
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bff.demo_merchant_server import MerchantServer, TrackOutcome, Transport, call_track
from bff.demo_shoppers import PLACEMENT, Shopper, Visit, draw_shopper, plan_visit

TICK_S = 0.5
MAX_DURATION_S = 3600.0
MAX_RATE = 20.0
REPORT_EVERY_S = 10.0


@dataclass(frozen=True)
class TrafficConfig:
    """One replay: where to, how long, how many shoppers a second, when the anomaly starts."""

    public_origin: str
    shop_origin: str
    api_key: str
    duration_s: float = 180.0
    rate: float = 5.0
    anomaly_after_s: float | None = None  # None: no anomaly
    seed: int | None = None

    def problem(self) -> str | None:
        """Why the config cannot run, or None."""
        if not 0 < self.duration_s <= MAX_DURATION_S:
            return f"duration must be above 0 and at most {MAX_DURATION_S:.0f} seconds"
        if not 0 < self.rate <= MAX_RATE:
            return f"rate must be above 0 and at most {MAX_RATE:.0f} shoppers a second"
        if self.anomaly_after_s is not None and not 0 <= self.anomaly_after_s < self.duration_s:
            return "the anomaly must start within the run (0 <= anomaly-after < duration)"
        return None


@dataclass
class TrafficReport:
    """What a replay sent and what the server said."""

    shoppers: int = 0
    renders_failed: int = 0
    sent: Counter[str] = field(default_factory=Counter)  # accepted events by type
    rejected: int = 0
    dropped: int = 0  # events of calls that failed or stayed rate limited
    orders: int = 0
    anomaly_started_s: float | None = None
    problems: Counter[str] = field(default_factory=Counter)

    def line(self, elapsed_s: float) -> str:
        anomaly = "" if self.anomaly_started_s is None else f", anomaly since {self.anomaly_started_s:.0f}s"
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(self.sent.items()))
        return (
            f"{elapsed_s:5.0f}s  {self.shoppers} shoppers, {self.orders} orders; accepted: {kinds}; "
            f"rejected {self.rejected}, dropped {self.dropped}{anomaly}"
        )


def replay(
    config: TrafficConfig,
    should_stop: Callable[[], bool],
    transport: Transport,
    out: Callable[[str], None] = print,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    start_anomaly: Callable[[], bool] = lambda: False,
) -> TrafficReport:
    """Run the replay (see the module docstring) and return its report; the anomaly starts
    at ``config.anomaly_after_s`` or at the first tick ``start_anomaly()`` is true (a
    signal), and goes on to the end."""
    rng = random.Random(config.seed)  # noqa: S311 - a simulation, not a secret
    server = MerchantServer(config.public_origin, config.api_key, transport)
    report = TrafficReport()
    started = clock()
    next_report = started + REPORT_EVERY_S
    last_tick = started
    while not should_stop():
        tick = clock()
        elapsed = tick - started
        if elapsed >= config.duration_s:
            break
        due = config.anomaly_after_s is not None and elapsed >= config.anomaly_after_s
        anomaly = report.anomaly_started_s is not None or due or start_anomaly()
        if anomaly and report.anomaly_started_s is None:
            report.anomaly_started_s = elapsed
            wall = time.time()
            at = time.strftime("%H:%M:%S", time.gmtime(wall)) + f".{int(wall * 1000) % 1000:03d}"
            out(f"{elapsed:5.0f}s  anomaly from {at} UTC: Firefox shoppers' impressions stop arriving")
        # Arrivals for the time that really passed: a slow tick does not lower the rate.
        arrivals = _poisson(rng, config.rate * (tick - last_tick if tick > started else TICK_S))
        last_tick = tick
        visits = [_visit(config, transport, rng, report, anomaly) for _ in range(arrivals)]
        _send(config, server, transport, [v for v in visits if v is not None], report, sleep)
        if tick >= next_report:
            out(report.line(elapsed))
            next_report += REPORT_EVERY_S
        sleep(max(0.0, TICK_S - (clock() - tick)))
    out(report.line(clock() - started))
    return report


def render_call(shopper: Shopper) -> dict[str, Any]:
    """The ``placements.render`` call a frame makes for ``shopper``'s product page badge."""
    params = {
        "client_id": "demo",
        "placement_key": PLACEMENT,
        "locale": shopper.locale,
        "currency": shopper.currency,
        "purchase_amount": shopper.amount,
        "session_id": shopper.visit_id,
    }
    return {"jsonrpc": "2.0", "id": 1, "method": "placements.render", "params": params}


def _visit(
    config: TrafficConfig, transport: Transport, rng: random.Random, report: TrafficReport, anomaly: bool
) -> Visit | None:
    shopper = draw_shopper(rng)
    report.shoppers += 1
    headers = {"User-Agent": shopper.user_agent}
    try:
        status, reply = transport(f"{config.public_origin}/rpc", render_call(shopper), headers)
    except OSError:
        status, reply = 0, None
    if status != 200 or not isinstance(reply, dict) or not isinstance(reply.get("result"), dict):
        report.renders_failed += 1
        return None
    now_ms = int(time.time() * 1000)
    return plan_visit(shopper, reply["result"], rng, now_ms, config.shop_origin, impressions_lost=anomaly)


def _send(
    config: TrafficConfig,
    server: MerchantServer,
    transport: Transport,
    visits: Sequence[Visit],
    report: TrafficReport,
    sleep: Callable[[float], None],
) -> None:
    """One tick's events in the order a real visit sends them: sessions, frame events (the
    touches an order is attributed to), then the orders."""
    _count(report, [e for v in visits for e in v.server], lambda batch: server.track(batch), sleep)
    by_agent: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for visit in visits:
        if visit.frame:
            agent = next(e for e in visit.server if e["type"] == "session")["user_agent"]
            by_agent[agent].extend(visit.frame)
    for agent, events in by_agent.items():
        _count(report, events, functools.partial(_collect, config, transport, agent=agent), sleep)
    orders = [e for v in visits for e in v.orders]
    report.orders += len(orders)
    _count(report, orders, lambda batch: server.track(batch), sleep)
    client_orders = [e for v in visits for e in v.client_orders]
    _count(report, client_orders, functools.partial(_collect, config, transport, agent=None), sleep)


def _collect(
    config: TrafficConfig, transport: Transport, events: Sequence[dict[str, Any]], agent: str | None
) -> TrackOutcome:
    """Anonymous events to ``/rpc/collect``, as frames and the loader send them (as a call,
    not a notification, so that the replay sees rejections)."""
    body = {"jsonrpc": "2.0", "id": 1, "method": "events.track", "params": {"events": list(events)}}
    return call_track(transport, f"{config.public_origin}/rpc/collect", body, {"User-Agent": agent or ""})


def _count(
    report: TrafficReport,
    events: Sequence[dict[str, Any]],
    send: Callable[[Sequence[dict[str, Any]]], TrackOutcome],
    sleep: Callable[[float], None],
) -> None:
    if not events:
        return
    outcome = send(events)
    if outcome.retry_after_s is not None:
        sleep(min(outcome.retry_after_s, 2.0))
        outcome = send(events)
    if outcome.error is not None:
        report.dropped += len(events)
        report.problems[outcome.error] += 1
        return
    rejected = {r.get("index") for r in outcome.rejected}
    report.rejected += len(rejected)
    for reason in outcome.rejected:
        report.problems[str(reason.get("reason", ""))[:80]] += 1
    report.sent.update(e["type"] for i, e in enumerate(events) if i not in rejected)


def _poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw (Knuth's method: ``mean`` is small here)."""
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count
