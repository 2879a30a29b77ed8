"""The attribution store: touches per visit, orders deduplicated by order id, attributed counts.

* ``record_touches(touches)``: one pipelined write per batch; each visit keeps its last
  ``MAX_TOUCHES`` touches for the merchant's window (the TTL slides with each touch).
* ``record_order(order, ...)``: reads the visit's touches, applies the pure rule
  (``bff.attribution.rule``) under both models, then one Lua script stores the report,
  claims the order id (``SET NX``, TTL: window + ``CLAIM_MARGIN_S``) and counts it. The
  first report of a counted source counts; later ones (the other source, a reload of the
  confirmation page) are stored only. Resending the very event that counted (after a
  failed call) is recognised by its event id and counts nothing again.
* ``attributed_orders(client_id, day_range)``: the counters of those UTC days, for the
  merchant's dashboard.

Keys: ``bff/attribution/keys.py``. Redis errors become ``StoreUnavailable``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

import redis

from bff.attribution import keys
from bff.attribution.rule import MODELS, Credit, Order, Touch, attribute
from bff.errors import StoreUnavailable

MAX_TOUCHES = 50
DAY_S = 86400
CLAIM_MARGIN_S = DAY_S
COUNTERS_TTL_S = 400 * DAY_S  # 13 months of history
MAX_DAYS = 400

# KEYS: report, claim, day counters. ARGV: report JSON, claim TTL, event id, counts (1/0),
# counters TTL, then (field, increment) pairs. Returns counted / retry / duplicate / stored.
_ORDER_SCRIPT = """
local stored = redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', ARGV[2])
if ARGV[4] ~= '1' then
  if stored then return 'stored' end
  return 'duplicate'
end
if not redis.call('SET', KEYS[2], ARGV[3], 'NX', 'EX', ARGV[2]) then
  if redis.call('GET', KEYS[2]) == ARGV[3] then return 'retry' end
  return 'duplicate'
end
for i = 6, #ARGV, 2 do
  redis.call('HINCRBY', KEYS[3], ARGV[i], ARGV[i + 1])
end
redis.call('EXPIRE', KEYS[3], ARGV[5])
return 'counted'
"""


@dataclass(frozen=True)
class RecordedTouch:
    """A touch to record: its merchant, the merchant's window, and the touch itself."""

    client_id: str
    window_days: int
    touch: Touch


@dataclass(frozen=True)
class ReportedOrder:
    """One order report (``ts``: the server's receive time, ms)."""

    client_id: str
    event_id: str
    order_id: str
    visit_id: str | None
    source: str
    amount: int
    currency: str
    ts: int
    payment_method: str | None = None


@dataclass(frozen=True)
class OrderOutcome:
    """``counted`` (first counted report), ``retry`` (that same event again), ``duplicate``
    (the order id was counted by another report) or ``stored`` (a source not counted).
    ``credits``: the order's credits when it counts (a retry's as computed again: what the
    rollups count it under, since the first attempt may never have reached the stream)."""

    status: str
    credits: list[Credit] = field(default_factory=list)

    @property
    def counts(self) -> bool:
        """Whether this report is the order the merchant counts (so the rollups see it)."""
        return self.status in ("counted", "retry")


@dataclass(frozen=True)
class AttributedOrders:
    """One day's counted orders of one target: ``model`` ``all`` has no target (every counted
    order), ``unattributed`` the counted orders no touch earned."""

    day: str
    model: str
    campaign_id: str | None
    variant: str | None
    placement_key: str | None
    orders: int
    value: dict[str, int]


class AttributionStore:
    """Touches and orders of every merchant, on one Redis client."""

    def __init__(self, client: redis.Redis) -> None:
        self._client = client
        self._order_script = client.register_script(_ORDER_SCRIPT)

    @property
    def client(self) -> redis.Redis:
        """The Redis client (the funnel counters of a batch share it)."""
        return self._client

    def record_touches(self, touches: Iterable[RecordedTouch]) -> None:
        """Append the touches to their visits' lists in one pipelined write."""
        pipe = self._client.pipeline(transaction=False)
        written = False
        for item in touches:
            key = keys.touches_key(item.client_id, item.touch.visit_id)
            pipe.rpush(key, json.dumps(_touch_record(item.touch), separators=(",", ":")))
            pipe.ltrim(key, -MAX_TOUCHES, -1)
            pipe.expire(key, item.window_days * DAY_S)
            written = True
        if not written:
            return
        try:
            pipe.execute()
        except redis.RedisError as exc:
            raise StoreUnavailable("could not record touches") from exc

    def touches(self, client_id: str, visit_id: str) -> list[Touch]:
        """The visit's recorded touches, oldest first (``seq`` is the position)."""
        try:
            raw = self._client.lrange(keys.touches_key(client_id, visit_id), 0, -1)
        except redis.RedisError as exc:
            raise StoreUnavailable("could not read touches") from exc
        return [_touch_of(item, visit_id, seq) for seq, item in enumerate(raw)]

    def record_order(self, order: ReportedOrder, *, window_days: int, counts: bool) -> OrderOutcome:
        """Attribute and record one order report; ``counts``: the merchant counts its source."""
        credits: list[Credit] = []
        if counts and order.visit_id is not None:
            touches = self.touches(order.client_id, order.visit_id)
            target = Order(order.order_id, order.visit_id, order.ts)
            for model in MODELS:
                credits += attribute(target, touches, window_days * DAY_S, model)
        report = asdict(order) | {"credits": [asdict(c) for c in credits]}
        day = _day(order.ts)
        args: list[Any] = [
            json.dumps(report, separators=(",", ":")),
            window_days * DAY_S + CLAIM_MARGIN_S,
            order.event_id,
            "1" if counts else "0",
            COUNTERS_TTL_S,
        ]
        for name, increment in _increments(order, credits):
            args += [name, increment]
        script_keys = [
            keys.order_key(order.client_id, order.source, order.order_id),
            keys.order_claim_key(order.client_id, order.order_id),
            keys.attributed_key(order.client_id, day),
        ]
        try:
            status = self._order_script(keys=script_keys, args=args)
        except redis.RedisError as exc:
            raise StoreUnavailable("could not record the order") from exc
        text = status.decode() if isinstance(status, bytes) else str(status)
        return OrderOutcome(text, credits if text in ("counted", "retry") else [])

    def attributed_orders(self, client_id: str, day_range: tuple[dt.date, dt.date]) -> list[AttributedOrders]:
        """The counters of the UTC days ``day_range`` (first, last; inclusive), by day and target."""
        rows: list[AttributedOrders] = []
        for day, counters in day_hashes(
            self._client, day_range, lambda day: keys.attributed_key(client_id, day), "attributed orders"
        ):
            rows += _rows(day, counters)
        return rows


def day_strings(day_range: tuple[dt.date, dt.date]) -> list[str]:
    """The ISO UTC days of ``day_range`` (first, last; inclusive; 1 to ``MAX_DAYS``)."""
    first, last = day_range
    count = (last - first).days + 1
    if not 1 <= count <= MAX_DAYS:
        raise ValueError(f"day_range must span 1 to {MAX_DAYS} days")
    return [(first + dt.timedelta(days=i)).isoformat() for i in range(count)]


def day_hashes(
    client: redis.Redis, day_range: tuple[dt.date, dt.date], key_of: Callable[[str], str], what: str
) -> list[tuple[str, dict[bytes, bytes]]]:
    """(day, hash) of the day keys ``key_of(day)`` over ``day_range``, in one pipelined read."""
    days = day_strings(day_range)
    pipe = client.pipeline(transaction=False)
    for day in days:
        pipe.hgetall(key_of(day))
    try:
        hashes = pipe.execute()
    except redis.RedisError as exc:
        raise StoreUnavailable(f"could not read {what}") from exc
    return list(zip(days, hashes, strict=True))


def _touch_record(touch: Touch) -> dict[str, Any]:
    return {
        "id": touch.id,
        "type": touch.type,
        "ts": touch.ts,
        "c": touch.campaign_id,
        "v": touch.variant,
        "p": touch.placement_key,
    }


def _touch_of(raw: bytes | str, visit_id: str, seq: int) -> Touch:
    record = json.loads(raw)
    return Touch(
        id=str(record["id"]),
        type=str(record["type"]),
        ts=int(record["ts"]),
        visit_id=visit_id,
        campaign_id=record.get("c"),
        variant=record.get("v"),
        placement_key=str(record["p"]),
        seq=seq,
    )


def _increments(order: ReportedOrder, credits: list[Credit]) -> list[tuple[str, int]]:
    prefixes = ["all"] + [f"{c.model}|{c.campaign_id}|{c.variant}|{c.placement_key}" for c in credits]
    if not any(c.model == "last_touch" for c in credits):
        prefixes.append("unattributed")
    found = []
    for prefix in prefixes:
        found += [(f"{prefix}|orders", 1), (f"{prefix}|value|{order.currency}", order.amount)]
    return found


def _rows(day: str, counters: dict[bytes, bytes]) -> list[AttributedOrders]:
    grouped: dict[str, dict[str, Any]] = {}
    for raw_name, raw_value in counters.items():
        name, value = raw_name.decode(), int(raw_value)
        if "|value|" in name:
            prefix, currency = name.split("|value|", 1)
            grouped.setdefault(prefix, {"orders": 0, "value": {}})["value"][currency] = value
        elif name.endswith("|orders"):
            grouped.setdefault(name[: -len("|orders")], {"orders": 0, "value": {}})["orders"] = value
    rows = []
    for prefix, totals in sorted(grouped.items()):
        model, *target = prefix.split("|")
        campaign_id, variant, placement_key = target if len(target) == 3 else (None, None, None)
        rows.append(
            AttributedOrders(
                day, model, campaign_id, variant, placement_key, totals["orders"], totals["value"]
            )
        )
    return rows


def _day(ts_ms: int) -> str:
    return dt.datetime.fromtimestamp(ts_ms / 1000, dt.UTC).date().isoformat()
