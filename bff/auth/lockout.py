"""Account lockout: failed dashboard logins counted per username, from any address.

Contract:

* ``record_failure(username, now)`` counts one failed login of ``username`` in a moving
  window of ``WINDOW_S`` (15 minutes) and returns the count, this failure included. At
  ``threshold`` or more the account is locked (the caller that sees exactly ``threshold``
  is the one that locked it, and audits that).
* A lock has no expiry: ``is_locked`` stays True until ``unlock`` (an administrator's
  ``flask --app bff users unlock NAME``), which also forgets the counted failures.
* ``clear_failures`` forgets them after a successful login.

Usernames are counted whether or not such a user exists, so a lock (and the message that
says so) reveals nothing about which accounts exist (docs/security.md). The per-address
rate limit of logins is separate (``bff/rate_limits.py``). Time is passed in (seconds
since the epoch); Redis errors become ``StoreUnavailable``.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets

import redis

from bff.errors import StoreUnavailable
from bff.store.keys import area_prefix

WINDOW_S = 15 * 60
FAILURES_PREFIX = f"{area_prefix('auth')}:login-failures:"
LOCKED_PREFIX = f"{area_prefix('auth')}:locked:"


class LoginLockout:
    def __init__(self, client: redis.Redis, threshold: int) -> None:
        self.client = client
        self.threshold = threshold

    def is_locked(self, username: str) -> bool:
        try:
            return bool(self.client.exists(LOCKED_PREFIX + username))
        except redis.RedisError as exc:
            raise StoreUnavailable("the login lockout is unreachable") from exc

    def record_failure(self, username: str, now: float) -> int:
        """Count a failure; returns the failures in the window. Locks at ``threshold``."""
        key = FAILURES_PREFIX + username
        try:
            with self.client.pipeline(transaction=True) as pipe:
                pipe.zremrangebyscore(key, "-inf", now - WINDOW_S)
                pipe.zadd(key, {f"{now:.6f}:{secrets.token_hex(4)}": now})
                pipe.zcard(key)
                pipe.expire(key, WINDOW_S)
                failures = int(pipe.execute()[2])
            if failures >= self.threshold:
                since = dt.datetime.fromtimestamp(now, dt.UTC).isoformat(timespec="seconds")
                record = json.dumps({"since": since, "failures": failures})
                self.client.set(LOCKED_PREFIX + username, record, nx=True)
        except redis.RedisError as exc:
            raise StoreUnavailable("the login lockout is unreachable") from exc
        return failures

    def clear_failures(self, username: str) -> None:
        try:
            self.client.delete(FAILURES_PREFIX + username)
        except redis.RedisError as exc:
            raise StoreUnavailable("the login lockout is unreachable") from exc

    def unlock(self, username: str) -> bool:
        """Lift the lock and forget the failures; whether the account was locked."""
        try:
            with self.client.pipeline(transaction=True) as pipe:
                pipe.delete(LOCKED_PREFIX + username)
                pipe.delete(FAILURES_PREFIX + username)
                was_locked = pipe.execute()[0]
        except redis.RedisError as exc:
            raise StoreUnavailable("the login lockout is unreachable") from exc
        return bool(was_locked)
