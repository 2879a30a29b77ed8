"""Alerts in Redis: raise, move, resolve, acknowledge, list, and the notification outbox.

An alert is a JSON document (``keys.alert_key``) indexed by raise time. Raising, moving
and resolving also push a notification onto the outbox list in the same transaction, so a
notification is never lost between the two (``slack.SlackNotifier`` drains the outbox).
Alert ids are 128-bit random hex: the chart URL Slack fetches is a capability URL.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

import redis

from bff.errors import StoreUnavailable
from bff.monitoring import keys
from bff.monitoring.detection.grouping import Candidate
from bff.monitoring.detection.hysteresis import AlertState
from bff.monitoring.dimensions import describe, merchant_of, parse_combo

MAX_RELATED = 20
ALERT_TTL_S = 30 * 24 * 3600


class AlertStore:
    """Alert documents and the outbox; every Redis failure becomes ``StoreUnavailable``."""

    def __init__(self, client: redis.Redis) -> None:
        self.client = client

    def raise_alert(
        self, candidate: Candidate, state: AlertState, now_ms: int, *, minute_ms: int, elapsed: float
    ) -> dict[str, Any]:
        """Store a new open alert for ``candidate`` and queue its notification.

        ``minute_ms`` and ``elapsed`` say which minute the evidence was measured in and
        how much of it (observed and expected counts cover the same part of the minute).
        """
        alert = {
            "id": secrets.token_hex(16),
            "root": candidate.root,
            "title": describe(candidate.root),
            "merchant": merchant_of(candidate.root),
            "dimensions": parse_combo(candidate.root),
            "status": "open",
            "first_seen_ms": state.first_seen_ms,
            "raised_ms": now_ms,
            "minute_ms": minute_ms,
            "elapsed": round(elapsed, 3),
            "resolved_ms": None,
            "acknowledged": None,
            "evidence": [_finding(f) for f in sorted(candidate.evidence, key=lambda f: f.p_value)],
            "related": [
                _finding(f) for f in sorted(candidate.related, key=lambda f: f.p_value)[:MAX_RELATED]
            ],
            "related_count": len(candidate.related),
            "deliveries": [],
        }
        self._write(alert, notify="raised", open_root=candidate.root)
        return alert

    def move(self, alert_id: str, candidate: Candidate, now_ms: int) -> dict[str, Any] | None:
        """Put an open alert under ``candidate``'s wider root and queue a ``moved`` notification.

        The same alert (id, chart, dashboard link, raise time) now names the candidate's root
        and evidence; what it was raised as is appended to ``moved_from``, and its former
        evidence heads the related findings. None if the alert does not exist.
        """
        alert = self.get(alert_id)
        if alert is None:
            return None
        previous = {"root": alert["root"], "title": alert["title"], "at_ms": now_ms}
        related = alert["evidence"] + [
            _finding(f) for f in sorted(candidate.related, key=lambda f: f.p_value)
        ]
        alert |= {
            "root": candidate.root,
            "title": describe(candidate.root),
            "merchant": merchant_of(candidate.root),
            "dimensions": parse_combo(candidate.root),
            "evidence": [_finding(f) for f in sorted(candidate.evidence, key=lambda f: f.p_value)],
            "related": related[:MAX_RELATED],
            "related_count": len(related),
            "moved_from": [*alert.get("moved_from", []), previous],
        }
        self._write(alert, notify="moved", open_root=candidate.root, close_root=previous["root"])
        return alert

    def resolve(self, alert_id: str, now_ms: int) -> dict[str, Any] | None:
        """Mark an alert resolved and queue its notification; None if it does not exist."""
        alert = self.get(alert_id)
        if alert is None:
            return None
        alert["status"] = "resolved"
        alert["resolved_ms"] = now_ms
        self._write(alert, notify="resolved", close_root=alert["root"])
        return alert

    def acknowledge(self, alert_id: str, who: str, now_ms: int) -> dict[str, Any] | None:
        alert = self.get(alert_id)
        if alert is None:
            return None
        alert["acknowledged"] = {"by": who, "at_ms": now_ms}
        self._write(alert)
        return alert

    def record_delivery(self, alert_id: str, delivery: dict[str, Any]) -> None:
        """Append a delivery outcome to the alert; failures also go to the failed list."""
        alert = self.get(alert_id)
        if alert is not None:
            alert["deliveries"].append(delivery)
            self._write(alert)
        if delivery.get("status") != "delivered":
            self._call(lambda: self.client.rpush(keys.failed_deliveries(), json.dumps(delivery)))

    def get(self, alert_id: str) -> dict[str, Any] | None:
        raw = self._call(lambda: self.client.get(keys.alert_key(alert_id)))
        return json.loads(raw) if raw else None

    def recent(self, limit: int = 100) -> list[dict[str, Any]]:
        """The most recently raised alerts, newest first."""
        ids = self._call(lambda: self.client.zrevrange(keys.alerts_index(), 0, limit - 1))
        if not ids:
            return []
        raws = self._call(lambda: self.client.mget([keys.alert_key(i.decode()) for i in ids]))
        return [json.loads(raw) for raw in raws if raw]

    def failed_deliveries(self) -> list[dict[str, Any]]:
        return [
            json.loads(raw) for raw in self._call(lambda: self.client.lrange(keys.failed_deliveries(), 0, -1))
        ]

    def _write(
        self,
        alert: dict[str, Any],
        notify: str | None = None,
        open_root: str | None = None,
        close_root: str | None = None,
    ) -> None:
        def transaction() -> None:
            with self.client.pipeline(transaction=True) as pipe:
                pipe.set(keys.alert_key(alert["id"]), json.dumps(alert), ex=ALERT_TTL_S)
                pipe.zadd(keys.alerts_index(), {alert["id"]: alert["raised_ms"]})
                if open_root is not None:
                    pipe.hset(keys.open_alerts(), open_root, alert["id"])
                if close_root is not None:
                    pipe.hdel(keys.open_alerts(), close_root)
                if notify is not None:
                    pipe.lpush(keys.outbox(), json.dumps({"alert_id": alert["id"], "event": notify}))
                pipe.execute()

        self._call(transaction)

    def _call(self, action: Any) -> Any:
        try:
            return action()
        except redis.RedisError as exc:
            raise StoreUnavailable("alerts are unreachable") from exc


def _finding(finding: Any) -> dict[str, Any]:
    return {
        "combo": finding.combo,
        "where": describe(finding.combo),
        "metric": finding.metric,
        "direction": finding.direction,
        "observed": round(finding.observed, 4),
        "expected": round(finding.expected, 4),
        "p_value": finding.p_value,
        "q_value": finding.q_value,
        "baseline": finding.baseline,
        "span": finding.span,
    }
