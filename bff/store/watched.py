"""Read-modify-write of Redis keys under WATCH (optimistic locking), in one place.

``update_watched(client, watch, attempt, attempts, busy)`` runs ``attempt(pipe)`` with
``watch`` watched: ``attempt`` reads through ``pipe`` (immediate mode), then either calls
``pipe.multi()`` and queues its writes, or writes nothing; its return value is returned
once the writes are committed. When another client changed a watched key in between, the
whole attempt runs again, at most ``attempts`` times; then ``StoreUnavailable(busy)``.
Exceptions of ``attempt`` (rule violations, conflicts) and ``redis.RedisError`` pass
through: callers translate the latter where it enters, as everywhere in ``bff/store``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import redis

from bff.errors import StoreUnavailable

T = TypeVar("T")


def update_watched(
    client: redis.Redis, watch: Sequence[str], attempt: Callable[[Any], T], attempts: int, busy: str
) -> T:
    for _ in range(attempts):
        with client.pipeline(transaction=True) as pipe:
            try:
                pipe.watch(*watch)  # type: ignore[no-untyped-call]
                result = attempt(pipe)
                if len(pipe):  # the attempt queued writes (a cluster pipeline has no other sign)
                    pipe.execute()
                return result
            except redis.WatchError:
                continue
    raise StoreUnavailable(busy)
