"""Unsaved campaign drafts of the live preview, in Redis for half an hour.

A draft is the campaign document the editor form would save, already validated
(``parse_campaign``), stored under a random draft id. It belongs to one signed-in user
and one merchant: the key names both, so a draft id is worthless to anyone else (another
user or another merchant's page loads nothing). Limits:

* ``DRAFT_TTL_S``: a draft lives 30 minutes after it was last saved or rendered (sliding);
* ``MAX_DRAFT_BYTES``: the JSON document is capped (``DraftTooLarge``);
* ``MAX_DRAFTS_PER_USER``: saving one more forgets the user's oldest draft.

Keys live under the ``{drafts}`` area tag (``bff.store.keys.area_prefix``), one Cluster slot
apart from merchants' render keys: a draft is a console concern that the render path
never reads. ``<user>`` is a username (``[a-z0-9._-]``) and ``<client>`` an identifier,
neither of which contains ``:``.

* ``onsite:{drafts}:doc:<user>:<client>:<draft id>``: the document (JSON, with TTL);
* ``onsite:{drafts}:index:<user>``: sorted set of ``<client>:<draft id>`` by save time.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from collections.abc import Callable
from typing import Any

import redis

from bff.errors import OnsiteError, StoreUnavailable
from bff.store import keys

DRAFT_TTL_S = 30 * 60
MAX_DRAFT_BYTES = 64 * 1024
MAX_DRAFTS_PER_USER = 20
DRAFT_ID = re.compile(r"^[A-Za-z0-9_-]{22}\Z")


class DraftTooLarge(OnsiteError):
    """The draft's JSON is over ``MAX_DRAFT_BYTES``."""


def draft_key(username: str, client_id: str, draft_id: str) -> str:
    """The document key of one draft of ``username`` for ``client_id``."""
    return f"{keys.area_prefix('drafts')}:doc:{username}:{client_id}:{draft_id}"


def draft_index_key(username: str) -> str:
    """The sorted set of a user's drafts (member ``<client>:<draft id>``, score: save time in ms)."""
    return f"{keys.area_prefix('drafts')}:index:{username}"


def new_draft_id() -> str:
    """22 URL-safe random characters (128 bits)."""
    return secrets.token_urlsafe(16)


class DraftStore:
    """Saves and loads drafts; ``clock`` returns seconds (tests pass their own)."""

    def __init__(
        self,
        client: redis.Redis,
        ttl_s: int = DRAFT_TTL_S,
        max_per_user: int = MAX_DRAFTS_PER_USER,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.client = client
        self.ttl_s = ttl_s
        self.max_per_user = max_per_user
        self.clock = clock

    def save(self, username: str, client_id: str, doc: dict[str, Any]) -> str:
        """Store ``doc`` as a new draft; returns its id. ``DraftTooLarge`` over the cap."""
        raw = json.dumps(doc, separators=(",", ":"), ensure_ascii=False).encode()
        if len(raw) > MAX_DRAFT_BYTES:
            raise DraftTooLarge(f"the draft is {len(raw)} bytes; the preview takes at most {MAX_DRAFT_BYTES}")
        draft_id = new_draft_id()
        index = draft_index_key(username)
        try:
            with self.client.pipeline(transaction=True) as pipe:
                pipe.set(draft_key(username, client_id, draft_id), raw, ex=self.ttl_s)
                pipe.zadd(index, {f"{client_id}:{draft_id}": int(self.clock() * 1000)})
                pipe.expire(index, self.ttl_s)
                pipe.zrange(index, 0, -(self.max_per_user + 1))
                *_, overflow = pipe.execute()
            if overflow:
                self._forget(username, [member.decode() for member in overflow])
        except redis.RedisError as exc:
            raise StoreUnavailable("drafts are unreachable") from exc
        return draft_id

    def load(self, username: str, client_id: str, draft_id: str) -> dict[str, Any] | None:
        """The draft's document (its TTL slides), or None: unknown, expired, or not this
        user's draft for this merchant."""
        if not DRAFT_ID.match(draft_id):
            return None
        try:
            raw = self.client.getex(draft_key(username, client_id, draft_id), ex=self.ttl_s)
        except redis.RedisError as exc:
            raise StoreUnavailable("drafts are unreachable") from exc
        if raw is None:
            return None
        try:
            doc = json.loads(raw)
        except ValueError:
            return None
        return doc if isinstance(doc, dict) else None

    def _forget(self, username: str, members: list[str]) -> None:
        """Delete the oldest drafts (members ``<client>:<draft id>``) beyond the cap."""
        with self.client.pipeline(transaction=True) as pipe:
            for member in members:
                client_id, _, draft_id = member.partition(":")
                pipe.delete(draft_key(username, client_id, draft_id))
            pipe.zrem(draft_index_key(username), *members)
            pipe.execute()
