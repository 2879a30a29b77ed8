"""Which partition of the events stream a merchant's events go to (pure).

The stream and the per-minute rollups are split into ``count`` partitions, each under a
Redis Cluster hash tag of its own (``keys.partition_prefix``), so that ingest and the
rollup work spread over a cluster's nodes. A merchant's events always go to the same
partition (``partition_of``), so one partition's single owner counts them in the order
they were received. Partition 0 is the ``{mon}`` slot of a deployment without partitions:
one partition (the default) is exactly the layout before partitions existed.
"""

from __future__ import annotations

import zlib

DEFAULT_PARTITIONS = 1
MAX_PARTITIONS = 64


def partition_of(client_id: str, count: int) -> int:
    """The partition (0 to ``count - 1``) of a merchant: CRC-32 of its id, stable across processes."""
    if count <= 1:
        return 0
    return zlib.crc32(client_id.encode()) % count


def checked_count(value: object) -> int:
    """A partition count from outside (the CLI, a stored value): an int of 1 to ``MAX_PARTITIONS``.

    Raises ``ValueError`` with a sentence that can be shown to an operator.
    """
    if isinstance(value, bytes):
        value = value.decode()
    try:
        count = int(str(value))
    except ValueError:
        raise ValueError(f"the partition count must be a whole number; got {value!r}") from None
    if not 1 <= count <= MAX_PARTITIONS:
        raise ValueError(f"the partition count must be 1 to {MAX_PARTITIONS}; got {count}")
    return count


def fair_share(count: int, workers: int) -> int:
    """How many of ``count`` partitions one of ``workers`` live workers may own (rounded up,
    so every partition has an owner; at least 1)."""
    return max(1, -(-count // max(1, workers)))


def claim_order(consumer: str, count: int) -> list[int]:
    """The order in which a worker tries to take partitions: from a start of its own, so that
    workers starting together do not all contend for partition 0."""
    start = zlib.crc32(consumer.encode()) % count if count else 0
    return [(start + i) % count for i in range(count)]
