"""Dashboard users: Argon2id password hashes and TOTP second factors (pyotp), in Redis.

A login needs the password and a current TOTP code; a code is accepted once (replays are
refused for its 30-second window). Users are created, given a new password or role with
``flask --app bff users create|set-password|set-role`` (``bff/auth/commands.py``, which also
ends the user's dashboard sessions after a change).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import asdict, dataclass, replace
from typing import Any

import pyotp
import redis
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from bff.auth.roles import ROLES
from bff.errors import StoreUnavailable
from bff.store.keys import area_prefix
from bff.store.watched import update_watched

USERS_KEY = f"{area_prefix('auth')}:users"
USED_CODES_PREFIX = f"{area_prefix('auth')}:totp-used:"
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}\Z")
MIN_PASSWORD = 12
UPDATE_ATTEMPTS = 50
ISSUER = "Onsite messaging"

_hasher = PasswordHasher()


@dataclass(frozen=True)
class User:
    username: str
    role: str
    merchant: str | None
    password_hash: str
    totp_secret: str
    created_at: str
    disabled: bool = False


class UserStore:
    def __init__(self, client: redis.Redis) -> None:
        self.client = client

    def create(
        self, username: str, role: str, password: str, now: dt.datetime, merchant: str | None = None
    ) -> User:
        """Create a user; returns it (its TOTP secret is to be shown once, as a provisioning URI)."""
        if not USERNAME.match(username):
            raise ValueError("username: 2-32 lowercase letters, digits, '.', '_' or '-'")
        if role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}")
        if len(password) < MIN_PASSWORD:
            raise ValueError(f"the password needs at least {MIN_PASSWORD} characters")
        if (role == "merchant_admin") != (merchant is not None):
            raise ValueError("a merchant_admin needs --merchant, and only a merchant_admin has one")
        user = User(
            username,
            role,
            merchant,
            _hasher.hash(password),
            pyotp.random_base32(),
            now.isoformat(timespec="seconds"),
        )
        try:
            if not self.client.hsetnx(USERS_KEY, username, json.dumps(asdict(user))):
                raise ValueError(f"user {username!r} exists")
        except redis.RedisError as exc:
            raise StoreUnavailable("users are unreachable") from exc
        return user

    def set_password(self, username: str, password: str) -> User:
        """Replace the password of an existing user (``ValueError`` if unknown or too short)."""
        if len(password) < MIN_PASSWORD:
            raise ValueError(f"the password needs at least {MIN_PASSWORD} characters")
        return self._update(username, password_hash=_hasher.hash(password))

    def set_role(self, username: str, role: str, merchant: str | None = None) -> User:
        """Give an existing user another role (a merchant_admin needs ``merchant``)."""
        if role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}")
        if (role == "merchant_admin") != (merchant is not None):
            raise ValueError("a merchant_admin needs --merchant, and only a merchant_admin has one")
        return self._update(username, role=role, merchant=merchant)

    def _update(self, username: str, **changes: object) -> User:
        """Rewrite one user's record with ``changes``, retrying if another writer got in first."""

        def attempt(pipe: Any) -> User:
            raw = pipe.hget(USERS_KEY, username)
            if not raw:
                raise ValueError(f"no user {username!r}")
            user = replace(User(**json.loads(raw)), **changes)  # type: ignore[arg-type]
            pipe.multi()
            pipe.hset(USERS_KEY, username, json.dumps(asdict(user)))
            return user

        try:
            return update_watched(self.client, [USERS_KEY], attempt, UPDATE_ATTEMPTS, "users are busy: retry")
        except redis.RedisError as exc:
            raise StoreUnavailable("users are unreachable") from exc

    def get(self, username: str) -> User | None:
        try:
            raw = self.client.hget(USERS_KEY, username)
        except redis.RedisError as exc:
            raise StoreUnavailable("users are unreachable") from exc
        return User(**json.loads(raw)) if raw else None

    def of_merchant(self, client_id: str) -> list[User]:
        """The users of one merchant (its ``merchant_admin`` users), by username."""
        try:
            raws = self.client.hvals(USERS_KEY)
        except redis.RedisError as exc:
            raise StoreUnavailable("users are unreachable") from exc
        users = (User(**json.loads(raw)) for raw in raws)
        return sorted((u for u in users if u.merchant == client_id), key=lambda u: u.username)

    def authenticate(self, username: str, password: str, code: str, now: dt.datetime) -> User | None:
        """The user when password and TOTP code are both right (and the code is fresh)."""
        user = self.get(username) if USERNAME.match(username or "") else None
        if user is None or user.disabled:
            _hasher.hash(password or "x")  # same work as a real check: no user enumeration by timing
            return None
        try:
            _hasher.verify(user.password_hash, password)
        except (VerificationError, InvalidHashError):
            return None
        totp = pyotp.TOTP(user.totp_secret)
        if not re.fullmatch(r"\d{6}", code or "") or not totp.verify(code, for_time=now, valid_window=1):
            return None
        used_key = f"{USED_CODES_PREFIX}{username}:{code}"
        if not self.client.set(used_key, "1", nx=True, ex=90):
            return None
        return user


def provisioning_uri(user: User) -> str:
    """The otpauth:// URI an authenticator app scans."""
    return pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.username, issuer_name=ISSUER)
