"""The visit's sticky decisions in Redis: ``{picks, auto_opens}`` per (merchant, session).

Reads use ``GETEX`` so that every render slides the TTL; the render path adds the read
to its own pipeline (``queue_read``) to keep one round trip.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import redis

from bff.decisions.decide import Pick
from bff.store import keys

SESSION_TTL_S = 30 * 60
DAY_COUNTER_TTL_S = 2 * 24 * 3600
# The index only has to outlive the sessions it lists (30 min, sliding): a day is ample
# for GDPR exports and erasures, and keeps it small at scale (docs/capacity.md).
REF_INDEX_TTL_S = 24 * 3600


@dataclass(frozen=True)
class SessionState:
    picks: tuple[Pick, ...] = ()
    auto_opens: int = 0
    identified: bool = False

    def to_json(self) -> str:
        return json.dumps(
            {
                "picks": [p.to_json() for p in self.picks],
                "auto_opens": self.auto_opens,
                "identified": self.identified,
            }
        )

    @classmethod
    def from_json(cls, raw: bytes | None) -> SessionState:
        """Parse a stored state; anything unreadable is an empty state (a new visit)."""
        try:
            data = json.loads(raw) if raw else {}
        except ValueError:
            return cls()
        if not isinstance(data, dict):
            return cls()
        picks = tuple(p for p in (Pick.from_json(x) for x in data.get("picks", [])) if p is not None)
        auto_opens = data.get("auto_opens", 0)
        return cls(picks, auto_opens if isinstance(auto_opens, int) else 0, data.get("identified") is True)


class SessionDecisionStore:
    """Sticky per-visit state with a sliding TTL."""

    def __init__(self, client: redis.Redis, ttl_s: int = SESSION_TTL_S) -> None:
        self.client = client
        self.ttl_s = ttl_s

    def queue_read(self, pipe: Any, client_id: str, session_id: str) -> None:
        """Add the read (which also slides the TTL) to ``pipe``."""
        pipe.getex(keys.session_key(client_id, session_id), ex=self.ttl_s)

    def queue_day_count(self, pipe: Any, client_id: str, shopper: str, day: str) -> None:
        pipe.get(keys.auto_open_day_key(client_id, shopper, day))

    def write(
        self,
        client_id: str,
        session_id: str,
        state: SessionState,
        auto_open_day: tuple[str, str] | None,
        customer_ref: str | None = None,
    ) -> None:
        """Store the state; count an interstitial auto-open for ``(shopper, day)`` when given;
        index the session under ``customer_ref`` (for GDPR export and erasure) when given."""
        with self.client.pipeline(transaction=False) as pipe:
            pipe.set(keys.session_key(client_id, session_id), state.to_json(), ex=self.ttl_s)
            if auto_open_day is not None:
                day_key = keys.auto_open_day_key(client_id, *auto_open_day)
                pipe.incr(day_key)
                pipe.expire(day_key, DAY_COUNTER_TTL_S)
            if customer_ref is not None:
                index = keys.ref_sessions_key(client_id, customer_ref)
                pipe.sadd(index, session_id)
                pipe.expire(index, REF_INDEX_TTL_S)
            pipe.execute()
