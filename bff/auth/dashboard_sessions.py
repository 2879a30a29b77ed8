"""Sessions of the dashboard and the console, kept in Redis; the browser holds only a random token.

Contract:

* ``new_token()`` is 256 random bits (43 URL-safe characters): the cookie's whole content.
  Redis never sees it: a session is stored under ``HMAC-SHA256(key, token)`` (``key`` is
  the server secret's ``dashboard-session`` purpose key), so neither a copy of Redis nor
  of its AOF gives a usable cookie.
* ``create(username, role, now, area, merchant)`` stores a session and returns its token.
  ``load(token, now, area)`` returns the session, or None when the token is malformed,
  unknown, revoked, of another area, idle for ``idle_s`` or older than ``absolute_s``; a
  session it returns has its idle deadline moved to ``now + idle_s`` (never past the
  absolute one). Redis expires the key at the
  same deadline, so an abandoned session costs nothing after it ends.
* ``revoke(token)`` ends one session (logout); ``revoke_user(username)`` ends all of a
  user's sessions (password or role change), found through a per-user index (a sorted
  set of session hashes scored by their absolute deadline, pruned on every login).
* ``csrf_token(token)`` is the CSRF token that goes with a cookie token (an HMAC of it):
  stable for the life of the session, new with every login, and computable for a visitor
  who has no session yet (the login form) without writing anything to Redis.

Time is passed in (seconds since the epoch); Redis errors become ``StoreUnavailable``.
All keys are in the ``{auth}`` slot.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import math
import re
import secrets
from dataclasses import dataclass, replace

import redis

from bff.errors import StoreUnavailable
from bff.store.keys import area_prefix

SESSION_PREFIX = f"{area_prefix('auth')}:session:"
USER_SESSIONS_PREFIX = f"{area_prefix('auth')}:user-sessions:"
TOKEN_BYTES = 32
TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}\Z")


@dataclass(frozen=True)
class DashboardSession:
    """A logged-in user's session (what Redis holds, keyed by the token's hash)."""

    username: str
    role: str
    created_s: float
    last_seen_s: float
    area: str = "monitoring"
    merchant: str | None = None


def new_token() -> str:
    """A fresh cookie token: 256 random bits, URL-safe base64 without padding."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def is_token(value: str | None) -> bool:
    """Whether ``value`` has the shape of a token (checked before any Redis call)."""
    return value is not None and TOKEN.match(value) is not None


class DashboardSessionStore:
    def __init__(self, client: redis.Redis, key: bytes, idle_s: int, absolute_s: int) -> None:
        self.client = client
        self._key = key
        self.idle_s = idle_s
        self.absolute_s = absolute_s

    def create(
        self, username: str, role: str, now: float, area: str = "monitoring", merchant: str | None = None
    ) -> str:
        """Store a new session of ``username`` for ``area`` (the dashboard or the console, each
        with its own cookie) and, for a merchant admin, its ``merchant``; returns its token
        (for the cookie only)."""
        token = new_token()
        session = DashboardSession(username, role, now, now, area, merchant)
        index = USER_SESSIONS_PREFIX + username
        try:
            with self.client.pipeline(transaction=True) as pipe:
                pipe.set(self._key_of(token), _encode(session), px=self._ttl_ms(session, now))
                pipe.zremrangebyscore(index, "-inf", now)
                pipe.zadd(index, {self._hash(token): now + self.absolute_s})
                pipe.expire(index, self.absolute_s)
                pipe.execute()
        except redis.RedisError as exc:
            raise StoreUnavailable("dashboard sessions are unreachable") from exc
        return token

    def load(self, token: str | None, now: float, area: str = "monitoring") -> DashboardSession | None:
        """The live session of ``token`` in ``area`` (its idle deadline slid forward), else None
        (a console session's token is worth nothing on the dashboard, and the reverse)."""
        if token is None or not is_token(token):
            return None
        key = self._key_of(token)
        try:
            raw = self.client.get(key)
            session = _decode(raw) if raw else None
            if session is None or session.area != area:
                return None
            if self._ttl_ms(session, now) <= 0:
                self.client.delete(key)
                return None
            session = replace(session, last_seen_s=now)
            # XX: a session revoked since the GET above stays revoked.
            self.client.set(key, _encode(session), px=self._ttl_ms(session, now), xx=True)
        except redis.RedisError as exc:
            raise StoreUnavailable("dashboard sessions are unreachable") from exc
        return session

    def revoke(self, token: str | None) -> bool:
        """End the session of ``token``; whether there was one."""
        if token is None or not is_token(token):
            return False
        key = self._key_of(token)
        try:
            raw = self.client.get(key)
            session = _decode(raw) if raw else None
            with self.client.pipeline(transaction=True) as pipe:
                pipe.delete(key)
                if session is not None:
                    pipe.zrem(USER_SESSIONS_PREFIX + session.username, self._hash(token))
                deleted = pipe.execute()[0]
        except redis.RedisError as exc:
            raise StoreUnavailable("dashboard sessions are unreachable") from exc
        return bool(deleted)

    def revoke_user(self, username: str) -> int:
        """End every session of ``username``; returns how many were live."""
        index = USER_SESSIONS_PREFIX + username
        try:
            hashes: list[bytes] = self.client.zrange(index, 0, -1)  # type: ignore[assignment]
            with self.client.pipeline(transaction=True) as pipe:
                for digest in hashes:
                    pipe.delete(SESSION_PREFIX + digest.decode())
                pipe.delete(index)
                results = pipe.execute()
        except redis.RedisError as exc:
            raise StoreUnavailable("dashboard sessions are unreachable") from exc
        return sum(int(r) for r in results[:-1])

    def csrf_token(self, token: str) -> str:
        """The CSRF token of the holder of cookie ``token`` (no Redis involved)."""
        digest = hmac.new(self._key, b"csrf:" + token.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    def _hash(self, token: str) -> str:
        return hmac.new(self._key, b"id:" + token.encode(), hashlib.sha256).hexdigest()

    def _key_of(self, token: str) -> str:
        return SESSION_PREFIX + self._hash(token)

    def _ttl_ms(self, session: DashboardSession, now: float) -> int:
        """Milliseconds until the session ends (idle or absolute deadline, the earlier)."""
        deadline = min(session.last_seen_s + self.idle_s, session.created_s + self.absolute_s)
        return math.floor((deadline - now) * 1000)


def _encode(session: DashboardSession) -> str:
    return json.dumps(
        {"user": session.username, "role": session.role, "created": session.created_s,
         "seen": session.last_seen_s, "area": session.area, "merchant": session.merchant}
    )  # fmt: skip


def _decode(raw: bytes | str) -> DashboardSession | None:
    try:
        data = json.loads(raw)
        return DashboardSession(
            data["user"], data["role"], float(data["created"]), float(data["seen"]),
            data.get("area", "monitoring"), data.get("merchant"),
        )  # fmt: skip
    except (ValueError, KeyError, TypeError):
        return None
