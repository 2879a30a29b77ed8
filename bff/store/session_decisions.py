"""The visit's sticky decisions in Redis: ``{picks, auto_opens}`` per (merchant, session).

Reads use ``GETEX`` so that every render slides the TTL; the render path adds the read
to its own pipeline (``queue_read``) to keep one round trip.

Lifetimes, which GDPR export and erasure rely on (``ProfileStore``):

* a visit's state: 30 to 40 minutes after its last render (sliding). Each render that reads
  or writes it here sets its TTL to ``STATE_TTL_S``: the 30 minutes of a visit plus the
  lifetime of the visit token (``bff.visit_token``) that the render hands out, since the
  renders served from that token (up to ``VISIT_TOKEN_LIFETIME_S`` later) do not touch
  Redis and so do not slide the TTL;
* a visit's auto-open counter of UTC day D: until ``DAY_COUNTER_GRACE_S`` after D ends
  (it is only ever read on day D), so at any moment only today's and yesterday's counters
  exist (``counter_days``);
* the ref index (the visits a shopper was identified in): ``REF_INDEX_TTL_S`` after the
  shopper's latest identification.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import redis

from bff.decisions.decide import Pick
from bff.store import keys

SESSION_TTL_S = 30 * 60
VISIT_TOKEN_LIFETIME_S = 10 * 60
STATE_TTL_S = SESSION_TTL_S + VISIT_TOKEN_LIFETIME_S
# A day's counter outlives its UTC day by this much: slack for clocks a little behind.
DAY_COUNTER_GRACE_S = 3600
# The index has to outlive the sessions it lists (30 min, sliding) and their day counters
# (until 01:00 UTC after their day), so that GDPR exports and erasures find them: 25 h
# covers every visit that ends on the UTC day it was identified on, and keeps the index
# small at scale (docs/capacity.md).
REF_INDEX_TTL_S = 24 * 3600 + DAY_COUNTER_GRACE_S


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


def counter_expiry(day: str) -> int:
    """Unix time at which the auto-open counter of UTC ``day`` (``YYYY-MM-DD``) expires."""
    start = dt.datetime.combine(dt.date.fromisoformat(day), dt.time(), dt.UTC)
    return int((start + dt.timedelta(days=1)).timestamp()) + DAY_COUNTER_GRACE_S


def counter_days(now: dt.datetime) -> tuple[str, str]:
    """The UTC days whose auto-open counters may still exist at ``now``: yesterday and today."""
    today = now.astimezone(dt.UTC).date()
    return (today - dt.timedelta(days=1)).isoformat(), today.isoformat()


class SessionDecisionStore:
    """Sticky per-visit state with a sliding TTL.

    ``pseudonym_key`` is the server's ``ref-pseudonym`` key: the ref index is named by the
    shopper's ref hash (``keys.ref_digest``), never by the ref.
    """

    def __init__(self, client: redis.Redis, pseudonym_key: bytes, ttl_s: int = STATE_TTL_S) -> None:
        self.client = client
        self.pseudonym_key = pseudonym_key
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
                pipe.expireat(day_key, counter_expiry(auto_open_day[1]))
            if customer_ref is not None:
                ref_hash = keys.ref_digest(self.pseudonym_key, client_id, customer_ref).hex()
                index = keys.ref_sessions_key(client_id, ref_hash)
                pipe.sadd(index, session_id)
                pipe.expire(index, REF_INDEX_TTL_S)
            pipe.execute()
