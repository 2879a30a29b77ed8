"""The Redis key schema of monitoring, in one place.

The events stream and the per-minute rollups are split into partitions
(``bff/monitoring/partitions.py``); every key of partition ``p`` carries the hash tag
``{mon}`` (``p == 0``) or ``{mon:p}``, so that the atomic commit script (dedup sets,
counters, XACK in one step) touches a single Redis Cluster slot, and the partitions spread
over the cluster's nodes. With one partition (the default) the keys are the ones used
before partitions existed. Rollups are grouped per minute and per bucket (a merchant, or
``*`` for cross-merchant combos, which every partition counts for its own merchants and
readers sum) so that a merchant's drill-down reads only its own hashes.

Hour and day rollups (``rollups/hours.py``) of a merchant live under the merchant's own tag
(``{m:<id>}``), so its 13 months of history do not depend on the partition count; those of
the ``*`` bucket stay per partition. Alerts, the detector's state and the outbox live in
``{mon}``.
"""

from __future__ import annotations

from bff.monitoring.dimensions import GLOBAL
from bff.store.keys import PREFIX as STORE_PREFIX
from bff.store.keys import area_prefix, merchant_tag

PREFIX = area_prefix("mon")
GROUP = "rollup"


def partition_prefix(partition: int) -> str:
    """Prefix of one partition's keys: ``onsite:{mon}`` for partition 0, else ``onsite:{mon:<p>}``."""
    return PREFIX if partition == 0 else area_prefix(f"mon:{partition}")


def partition_count_key() -> str:
    """The number of partitions (absent: 1), set by ``flask monitor partitions``."""
    return f"{PREFIX}:partitions"


def workers_key() -> str:
    """Sorted set: rollup worker (consumer name) -> its last heartbeat (ms)."""
    return f"{PREFIX}:workers"


def partition_owner_key(partition: int) -> str:
    """The consumer name of the worker that owns a partition (a lease with a TTL)."""
    return f"{partition_prefix(partition)}:owner"


def events_stream(partition: int = 0) -> str:
    """Stream of one partition's accepted event batches (an entry per ``events.track`` call)."""
    return f"{partition_prefix(partition)}:events"


def seen_key(bucket: int, partition: int = 0) -> str:
    """Set of event identities received in one 30-minute dedup bucket."""
    return f"{partition_prefix(partition)}:seen:{bucket}"


def rollup_key(minute: int, bucket: str, partition: int = 0) -> str:
    """Hash ``<combo>#<counter> -> count`` of one minute and one bucket."""
    return f"{partition_prefix(partition)}:r:{minute}:{bucket}"


def minute_buckets_key(minute: int, partition: int = 0) -> str:
    """Set of the buckets that have counts in one minute."""
    return f"{partition_prefix(partition)}:r:{minute}:buckets"


def coarse_key(resolution: str, period: int, bucket: str, partition: int = 0) -> str:
    """Hash ``<combo>#<counter> -> count`` of one hour (``resolution`` ``h``, hours since the
    epoch) or UTC day (``d``, days since the epoch) of one bucket: a merchant's under its
    own tag, the ``*`` bucket's per partition."""
    if bucket == GLOBAL:
        return f"{partition_prefix(partition)}:{resolution}:{period}:{GLOBAL}"
    return f"{STORE_PREFIX}:{merchant_tag(bucket)}:mon:{resolution}:{period}"


def coarse_buckets_key(resolution: str, period: int, partition: int = 0) -> str:
    """Set of the buckets one partition rolled up for one hour or day."""
    return f"{partition_prefix(partition)}:{resolution}:{period}:buckets"


def rolled_key(resolution: str, partition: int = 0) -> str:
    """The first hour (``h``) or day (``d``) of a partition not yet rolled up (an integer)."""
    return f"{partition_prefix(partition)}:rolled:{resolution}"


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
