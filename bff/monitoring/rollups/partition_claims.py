"""Which partitions of the events stream a rollup worker owns: leases in Redis.

Each partition has at most one owner at a time (``keys.partition_owner_key``: the owner's
consumer name, with a TTL of ``lease_ms``), so one worker counts a partition's entries, in
the order they were received. Workers announce themselves with a heartbeat
(``keys.workers_key``); each may own ``fair_share(partitions, live workers)`` partitions:
``refresh`` renews the leases it holds, gives back those above its share (a worker that
joins gets them at its next refresh) and takes free ones up to it. A worker that dies
keeps its partitions until its leases expire; the next owner then claims the entries it
left pending (``RollupWorker``), and the commit's dedup keeps every count exact even if a
stalled owner wakes up and commits after losing its lease.
"""

from __future__ import annotations

import redis

from bff.monitoring import keys
from bff.monitoring.partitions import claim_order, fair_share

# KEYS: the owner key. ARGV: the consumer, the lease (ms), "renew" or "release".
_LEASE_SCRIPT = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[3] == 'renew' then redis.call('PEXPIRE', KEYS[1], ARGV[2]) else redis.call('DEL', KEYS[1]) end
return 1
"""


class PartitionClaims:
    """The partitions one consumer owns; see the module docstring for the protocol."""

    def __init__(self, client: redis.Redis, consumer: str, lease_ms: int) -> None:
        self.client = client
        self.consumer = consumer
        self.lease_ms = lease_ms
        self.owned: set[int] = set()
        self._lease = client.register_script(_LEASE_SCRIPT)

    def refresh(self, count: int, now_ms: int) -> list[int]:
        """Heartbeat, renew, rebalance; return the partitions newly taken (raises ``redis.RedisError``)."""
        with self.client.pipeline(transaction=False) as pipe:
            pipe.zadd(keys.workers_key(), {self.consumer: now_ms})
            pipe.zremrangebyscore(keys.workers_key(), "-inf", now_ms - self.lease_ms)
            pipe.zcard(keys.workers_key())
            live = int(pipe.execute()[2])
        for partition in sorted(self.owned):
            if partition >= count or not self._lease(
                keys=[keys.partition_owner_key(partition)], args=[self.consumer, self.lease_ms, "renew"]
            ):
                self.owned.discard(partition)
        share = fair_share(count, live)
        for partition in sorted(self.owned, reverse=True)[: max(0, len(self.owned) - share)]:
            self._give_back(partition)
        taken = []
        for partition in claim_order(self.consumer, count):
            if len(self.owned) >= share:
                break
            if partition not in self.owned and self._take(partition):
                self.owned.add(partition)
                taken.append(partition)
        return taken

    def release_all(self) -> None:
        """Give every partition back and leave the workers (a clean stop: no wait for the leases)."""
        for partition in sorted(self.owned):
            self._give_back(partition)
        self.client.zrem(keys.workers_key(), self.consumer)

    def _take(self, partition: int) -> bool:
        """A free partition, or one still leased under this name (a restart under the same name)."""
        owner = keys.partition_owner_key(partition)
        return bool(
            self.client.set(owner, self.consumer, nx=True, px=self.lease_ms)
            or self._lease(keys=[owner], args=[self.consumer, self.lease_ms, "renew"])
        )

    def _give_back(self, partition: int) -> None:
        owner = keys.partition_owner_key(partition)
        self._lease(keys=[owner], args=[self.consumer, self.lease_ms, "release"])
        self.owned.discard(partition)
