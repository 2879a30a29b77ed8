"""Delivery of alert notifications to a Slack incoming webhook, with retry and a record.

``SlackNotifier.deliver_next(timeout_s)`` takes one notification from the outbox
(``BLMOVE`` to a processing list, so a notifier that dies mid-delivery leaves it there to
be requeued by ``requeue_unfinished``), builds the Block Kit message and posts it:

* 2xx: delivered. 429, 5xx and network errors: retried with exponential backoff
  (``backoff_s * 2**n``, ``Retry-After`` honoured up to ``max_backoff_s``) up to
  ``max_attempts`` in all. Other 4xx (a revoked webhook): not retried.
* Every outcome is appended to the alert's ``deliveries`` and a failure also to the
  failed-deliveries list: a notification is never dropped silently.
* With no webhook configured, notifications are recorded as ``not_configured``.

The HTTP call goes through ``transport(url, payload, timeout_s) -> (status, retry_after)``
which tests may replace with a plain function; the default uses urllib.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

import redis
import structlog

from bff.monitoring import keys
from bff.monitoring.alerts.slack_blocks import alert_message
from bff.monitoring.alerts.store import AlertStore

log = structlog.get_logger(__name__)

Transport = Callable[[str, dict[str, Any], float], tuple[int, float | None]]
NETWORK_ERROR = 0


def post_json(url: str, payload: dict[str, Any], timeout_s: float) -> tuple[int, float | None]:
    """POST ``payload`` as JSON; return ``(status, Retry-After seconds)``; status 0 on a network error."""
    request = urllib.request.Request(  # noqa: S310 - the URL is the operator's configured webhook
        url, data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:  # noqa: S310
            return int(response.status), None
    except urllib.error.HTTPError as exc:
        retry_after = exc.headers.get("Retry-After") if exc.headers else None
        return int(exc.code), _seconds(retry_after)
    except (urllib.error.URLError, OSError, TimeoutError):
        return NETWORK_ERROR, None


class SlackNotifier:
    """Drains the outbox into the webhook (see the module docstring)."""

    def __init__(
        self,
        client: redis.Redis,
        webhook_url: str | None,
        public_origin: str,
        *,
        transport: Transport = post_json,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        max_attempts: int = 5,
        backoff_s: float = 0.5,
        max_backoff_s: float = 30.0,
        timeout_s: float = 5.0,
    ) -> None:
        self.client = client
        self.alerts = AlertStore(client)
        self.webhook_url = webhook_url
        self.public_origin = public_origin.rstrip("/")
        self.transport = transport
        self.sleep = sleep
        self.clock = clock
        self.max_attempts = max_attempts
        self.backoff_s = backoff_s
        self.max_backoff_s = max_backoff_s
        self.timeout_s = timeout_s

    def requeue_unfinished(self) -> int:
        """Move notifications a dead notifier left in the processing list back to the outbox."""
        moved = 0
        while self.client.lmove(keys.outbox_processing(), keys.outbox(), "RIGHT", "RIGHT") is not None:
            moved += 1
        return moved

    def deliver_next(self, timeout_s: float = 1.0) -> dict[str, Any] | None:
        """Deliver the oldest queued notification; None when none arrived within ``timeout_s``."""
        raw = self.client.blmove(
            keys.outbox(), keys.outbox_processing(), max(1, round(timeout_s)), "RIGHT", "LEFT"
        )
        if raw is None:
            return None
        note = json.loads(raw)
        delivery = self.deliver(note["alert_id"], note["event"])
        self.client.lrem(keys.outbox_processing(), 1, raw)  # type: ignore[arg-type]
        return delivery

    def deliver(self, alert_id: str, event: str) -> dict[str, Any]:
        """Post one notification with retries and record the outcome on the alert."""
        alert = self.alerts.get(alert_id)
        delivery: dict[str, Any] = {"alert_id": alert_id, "event": event, "attempts": 0, "error": None}
        if alert is None:
            delivery |= {"status": "failed", "error": "alert not found"}
        elif not self.webhook_url:
            delivery |= {"status": "not_configured", "error": "SLACK_WEBHOOK_URL is not set"}
        else:
            payload = alert_message(
                alert, event,
                dashboard_url=f"{self.public_origin}/monitoring#alert={alert_id}",
                chart_url=f"{self.public_origin}/monitoring/charts/{alert_id}.png",
            )  # fmt: skip
            delivery |= self._post_with_retry(payload)
        delivery["at_ms"] = int(self.clock() * 1000)
        self.alerts.record_delivery(alert_id, delivery)
        log.info("monitor.slack.delivery", alert_id=alert_id, notification=event, status=delivery["status"],
                 attempts=delivery["attempts"])  # fmt: skip
        return delivery

    def _post_with_retry(self, payload: dict[str, Any]) -> dict[str, Any]:
        assert self.webhook_url is not None
        status, error = 0, None
        for attempt in range(1, self.max_attempts + 1):
            status, retry_after = self.transport(self.webhook_url, payload, self.timeout_s)
            if 200 <= status < 300:
                return {"status": "delivered", "attempts": attempt, "http_status": status}
            error = "network error" if status == NETWORK_ERROR else f"HTTP {status}"
            retryable = status in (NETWORK_ERROR, 429) or status >= 500
            if not retryable or attempt == self.max_attempts:
                return {"status": "failed", "attempts": attempt, "http_status": status, "error": error}
            delay = min(
                self.max_backoff_s,
                retry_after if retry_after is not None else self.backoff_s * 2 ** (attempt - 1),
            )
            self.sleep(delay)
        return {"status": "failed", "attempts": self.max_attempts, "http_status": status, "error": error}


def _seconds(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None
