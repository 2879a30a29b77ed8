"""The server secret (``ONSITE_SECRET_KEY``) and the purpose keys derived from it.

Contract:

* ``load_server_key(settings)`` returns the secret as bytes. With ``ONSITE_SECRET_KEY``
  set, that (``Settings.validate`` has checked it is at least 32 bytes, and required it in
  production). Without it (development and tests only), the key in ``VAR_DIR/secret.key``,
  created once with 32 random bytes and mode 0600, with a warning in the log: every
  process sharing a ``VAR_DIR`` (gunicorn workers, CLI commands, the demo) shares it.
* ``ServerKey.derive(purpose)`` is HMAC-SHA256(secret, ``"onsite/" + purpose``): 32 bytes,
  different for every purpose, so one leaked purpose key reveals nothing of another.
  Purposes in use: ``audit-chain``, ``audit-checkpoint``, ``ref-pseudonym``, ``identity-secret``,
  ``dashboard-session``. Changing the secret changes them all (see docs/security.md).

Redis never holds the secret nor any key derived from it.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

import structlog

from bff.settings import Settings

log = structlog.get_logger(__name__)

KEY_FILE = "secret.key"
KEY_BYTES = 32


@dataclass(frozen=True)
class ServerKey:
    """The server secret; ``derive`` gives a key for one purpose."""

    secret: bytes = field(repr=False)

    def derive(self, purpose: str) -> bytes:
        """32 bytes for ``purpose`` (stable for the same secret and purpose)."""
        return hmac.new(self.secret, f"onsite/{purpose}".encode(), hashlib.sha256).digest()


def load_server_key(settings: Settings) -> ServerKey:
    """The configured secret, or (development only) the one kept in ``VAR_DIR/secret.key``."""
    if settings.secret_key is not None:
        return ServerKey(settings.secret_key.encode())
    path = Path(settings.var_dir) / KEY_FILE
    if not settings.testing:
        log.warning(
            "server_key.development_key_file",
            path=str(path),
            hint="set ONSITE_SECRET_KEY (32+ bytes) in production; it is required there",
        )
    return ServerKey(_read_or_create(path))


def _read_or_create(path: Path) -> bytes:
    """Create the key file exclusively (so concurrent workers agree), else read it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(secrets.token_hex(KEY_BYTES).encode())
    for _ in range(100):
        data = path.read_bytes().strip()
        if len(data) >= KEY_BYTES:
            return data
        # Another process created the file a moment ago and is still writing it.
        os.sched_yield()
    raise OSError(f"{path} holds no key; delete it to have a new one generated")
