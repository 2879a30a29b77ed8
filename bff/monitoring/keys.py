"""The Redis key schema of monitoring, in one place.

Every key carries the hash tag ``{mon}`` so that the atomic commit script (dedup sets,
counters, XACK in one step) touches a single Redis Cluster slot. Rollups are grouped per
minute and per bucket (a merchant, or ``*`` for cross-merchant combos) so that a
merchant's drill-down reads only its own hashes.
"""

from __future__ import annotations

from bff.store.keys import area_prefix

PREFIX = area_prefix("mon")
GROUP = "rollup"


def events_stream() -> str:
    """Stream of accepted event batches (one entry per ``events.track`` call)."""
    return f"{PREFIX}:events"


def seen_key(bucket: int) -> str:
    """Set of event identities received in one 30-minute dedup bucket."""
    return f"{PREFIX}:seen:{bucket}"


def rollup_key(minute: int, bucket: str) -> str:
    """Hash ``<combo>#<counter> -> count`` of one minute and one bucket."""
    return f"{PREFIX}:r:{minute}:{bucket}"


def minute_buckets_key(minute: int) -> str:
    """Set of the buckets that have counts in one minute."""
    return f"{PREFIX}:r:{minute}:buckets"


def alert_key(alert_id: str) -> str:
    """JSON document of one alert."""
    return f"{PREFIX}:alert:{alert_id}"


def alerts_index() -> str:
    """Sorted set of alert ids by raise time (ms)."""
    return f"{PREFIX}:alerts"


def open_alerts() -> str:
    """Hash: root combo -> id of its open (or pending) alert."""
    return f"{PREFIX}:alerts:open"


def detector_state() -> str:
    """JSON of the detector's hysteresis states, so a restarted detector resumes them."""
    return f"{PREFIX}:detector:state"


def outbox() -> str:
    """List of notifications (raise/resolve) waiting to be posted to Slack."""
    return f"{PREFIX}:outbox"


def outbox_processing() -> str:
    """List of notifications being posted (moved back to the outbox if a notifier dies)."""
    return f"{PREFIX}:outbox:processing"


def failed_deliveries() -> str:
    """List of notifications whose delivery failed after every retry (JSON)."""
    return f"{PREFIX}:deliveries:failed"
