"""Detection to Slack against a real Redis and a local webhook receiver over real HTTP."""

from __future__ import annotations

import time
from collections import Counter

import pytest

from bff.monitoring.alerts.slack import SlackNotifier
from bff.monitoring.alerts.store import AlertStore
from bff.monitoring.detection.config import DetectionConfig
from bff.monitoring.detection.detector import Detector
from bff.monitoring.rollups.aggregation import MINUTE_MS, CountedEvent, increments
from bff.monitoring.rollups.store import RollupStore

DAY = 1440


def traffic(minute: int, merchant: str, failures: int, successes: int = 200, sessions: int = 300) -> Counter:  # type: ignore[type-arg]
    """Rollup increments of one minute of a merchant's traffic (built through the real aggregation)."""
    values = {"merchant": merchant, "country": "SE", "channel": "direct", "payment_method": "pay_in_4"}
    events = [
        CountedEvent("", minute * MINUTE_MS, values, ("authorization", "authorization_failure"))
    ] * failures
    events += [
        CountedEvent("", minute * MINUTE_MS, values, ("authorization", "authorization_success"))
    ] * successes
    events += [CountedEvent("", minute * MINUTE_MS, values, ("session",))] * sessions
    return increments(events)


def seed_baseline(store: RollupStore, minute: int) -> None:
    """Yesterday around ``minute`` and the minutes before it: two merchants, ~10 failures/min each."""
    for m in [*range(minute - DAY - 2, minute - DAY + 3), *range(minute - 3, minute)]:
        store.add_counts(traffic(m, "acme", 10) + traffic(m, "other", 10))


@pytest.fixture
def start_minute() -> int:
    """A minute boundary a little in the past, so the sweeps below cover whole minutes."""
    return int(time.time() * 1000) // MINUTE_MS - 5


def test_a_spike_raises_one_grouped_alert_posted_to_slack_then_resolved(  # type: ignore[no-untyped-def]
    app, client, redis_client, slack, start_minute
) -> None:
    store = RollupStore(redis_client)
    seed_baseline(store, start_minute)
    store.add_counts(traffic(start_minute, "acme", 400) + traffic(start_minute, "other", 10))
    # resolve_quiet_ms=0: resolved as soon as every span of its metrics is normal again (by
    # default an alert also waits 10 minutes after its last evidence: test_evaluation.py)
    detector = Detector(redis_client, DetectionConfig(resolve_quiet_ms=0))
    end_of_minute = (start_minute + 1) * MINUTE_MS - 1
    for offset in (2, 1):  # two sweeps over the whole minute: pending, then raised
        result = detector._sweep_minute(start_minute, 1.0, end_of_minute - offset)
    ((_, alert_id),) = redis_client.hgetall("onsite:{mon}:alerts:open").items()
    alert = AlertStore(redis_client).get(alert_id.decode())
    assert alert is not None and alert["root"] == "merchant=acme" and alert["status"] == "open"
    assert {f["metric"] for f in alert["evidence"]} >= {"authorization_failure", "authorization_success_rate"}
    assert alert["related_count"] >= 3  # the global total, country=SE, acme x country... grouped under it
    assert len(result.candidates) == 1

    notifier = SlackNotifier(redis_client, slack.url, "http://127.0.0.1:5000", sleep=lambda s: None)
    delivery = notifier.deliver_next(timeout_s=1)
    assert delivery is not None and delivery["status"] == "delivered"
    (message,) = slack.messages()
    assert message["blocks"][0]["type"] == "header" and "Anomaly" in message["text"]
    text = str(message["blocks"])
    assert "merchant*: acme" in text and "observed" in text and "p = " in text
    image = next(b for b in message["blocks"] if b["type"] == "image")
    assert image["image_url"] == f"http://127.0.0.1:5000/monitoring/charts/{alert['id']}.png"
    button = message["blocks"][-1]["elements"][0]
    assert button["url"].startswith("http://127.0.0.1:5000/monitoring")

    chart = client.get(f"/monitoring/charts/{alert['id']}.png")
    assert (
        chart.status_code == 200 and chart.mimetype == "image/png" and chart.data[:8] == b"\x89PNG\r\n\x1a\n"
    )

    # The alert's evidence includes the 10-minute window of the authorization success rate,
    # which holds the spike minute: the next minute back to normal does not resolve it...
    window = detector.config.window_minutes
    for later in range(start_minute + 1, start_minute + window + 1):
        store.add_counts(traffic(later, "acme", 10) + traffic(later, "other", 10))
    for minute in (start_minute + 1, start_minute + window):
        for offset in (3, 2, 1):
            detector._sweep_minute(minute, 1.0, (minute + 1) * MINUTE_MS - offset)
        status = AlertStore(redis_client).get(alert["id"])["status"]  # type: ignore[index]
        # ... the first minute whose window no longer holds the spike does
        assert status == ("resolved" if minute == start_minute + window else "open")
    assert notifier.deliver_next(timeout_s=1)["status"] == "delivered"  # type: ignore[index]
    assert "Resolved" in slack.messages()[-1]["text"]


def test_deliveries_are_retried_with_backoff_and_failures_are_recorded(
    redis_client, slack, start_minute
) -> None:  # type: ignore[no-untyped-def]
    store = RollupStore(redis_client)
    seed_baseline(store, start_minute)
    store.add_counts(traffic(start_minute, "acme", 400) + traffic(start_minute, "other", 10))
    detector = Detector(redis_client)
    for offset in (2, 1):
        detector._sweep_minute(start_minute, 1.0, (start_minute + 1) * MINUTE_MS - offset)
    sleeps: list[float] = []
    slack.statuses = [500, 429, 200]
    notifier = SlackNotifier(
        redis_client, slack.url, "http://127.0.0.1:5000", sleep=sleeps.append, backoff_s=0.5
    )
    delivery = notifier.deliver_next(timeout_s=1)
    assert delivery is not None and (delivery["status"], delivery["attempts"]) == ("delivered", 3)
    assert sleeps == [0.5, 1.0]
    alert_id = delivery["alert_id"]

    AlertStore(redis_client).resolve(alert_id, int(time.time() * 1000))
    slack.statuses = [503] * 5
    failed = notifier.deliver_next(timeout_s=1)
    assert failed is not None and (failed["status"], failed["attempts"], failed["error"]) == (
        "failed",
        5,
        "HTTP 503",
    )
    assert AlertStore(redis_client).failed_deliveries()[0]["alert_id"] == alert_id
    assert [d["status"] for d in AlertStore(redis_client).get(alert_id)["deliveries"]] == [
        "delivered",
        "failed",
    ]  # type: ignore[index]


def test_a_rejected_webhook_is_not_retried_and_a_missing_one_is_recorded(
    redis_client, slack, start_minute
) -> None:  # type: ignore[no-untyped-def]
    store = RollupStore(redis_client)
    seed_baseline(store, start_minute)
    store.add_counts(traffic(start_minute, "acme", 400) + traffic(start_minute, "other", 10))
    detector = Detector(redis_client)
    for offset in (2, 1):
        detector._sweep_minute(start_minute, 1.0, (start_minute + 1) * MINUTE_MS - offset)
    slack.statuses = [404]
    gone = SlackNotifier(redis_client, slack.url, "http://x", sleep=lambda s: None).deliver_next(timeout_s=1)
    assert gone is not None and (gone["status"], gone["attempts"]) == ("failed", 1)
    unset = SlackNotifier(redis_client, None, "http://x").deliver(gone["alert_id"], "raised")
    assert unset["status"] == "not_configured"
    assert len(AlertStore(redis_client).failed_deliveries()) == 2


def test_the_detect_command_posts_an_alert_from_live_data(redis_client, slack, monitor_process) -> None:  # type: ignore[no-untyped-def]
    minute = int(time.time() * 1000) // MINUTE_MS
    store = RollupStore(redis_client)
    seed_baseline(store, minute)
    store.add_counts(traffic(minute, "acme", 600, successes=0, sessions=0))
    monitor_process("detect", "--interval", "0.2", env={"SLACK_WEBHOOK_URL": slack.url})

    def acme_messages() -> list[dict]:  # type: ignore[type-arg]
        return [m for m in slack.messages() if "(merchant acme)" in m["text"]]

    deadline = time.monotonic() + 30
    while not acme_messages() and time.monotonic() < deadline:
        time.sleep(0.05)
    (message, *_) = acme_messages()
    # 600 failed authorizations and no success: one incident, named by whichever of its
    # findings (failed or all authorizations up, success rate down) is the most significant
    # at the sweep that raises it, which depends on the minute's fraction.
    named = (
        "failed authorizations spike",
        "Anomaly: authorizations spike",
        "authorization success rate drop",
    )
    assert any(f"{name} (merchant acme)" in message["text"] for name in named), message["text"]
    assert any(b["type"] == "image" for b in message["blocks"])
