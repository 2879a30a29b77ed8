"""The visit token: a visit's sticky state, signed, carried by its frame (pure: no I/O, no clock).

A returning visit's frame sends back the token of its previous render, so the render
need not read the visit's state from Redis (docs/serving.md, "Returning visits without
Redis"). Shape (at most ``MAX_TOKEN_CHARS``, URL-safe characters)::

    v1.<kid>.<payload>.<mac>

* ``kid``: the key id, a decimal period number (``now // ROTATION_S``). The key of period
  ``n`` is ``ServerKey.derive("visit-token/<n>")``: keys rotate every ``ROTATION_S``
  without any stored state, and the current and the previous period's keys are accepted
  (a token lives ``LIFETIME_S``, far less than a period, so that covers every token
  issued before a rotation). Any other kid is refused.
* ``payload``: base64url of compact JSON ``{"v": config version, "e": expiry (Unix
  seconds), "p": picks, "a": auto-opens of the visit, "i": identified (0/1)}``. It is
  readable by whoever holds the token (campaign and variant ids, no personal data).
* ``mac``: base64url HMAC-SHA256 with the kid's key over
  ``v1.<kid>.<payload>`` + NUL + client id + NUL + session id. The merchant and the visit
  are in the MAC but not in the token: a token replayed for another visit or merchant
  fails the MAC, as a forged or tampered one does.

``verify`` never raises for outside input: it returns ``VisitClaims`` or ``Rejected``
with a reason fit for a log line (never the token itself). The config version and
whether the token may be trusted for a given placement are the caller's checks.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
from dataclasses import dataclass, field
from typing import TypeGuard

from bff.decisions.decide import MAX_PICKS, Pick
from bff.server_key import ServerKey
from bff.store.session_decisions import VISIT_TOKEN_LIFETIME_S, SessionState

VERSION = "v1"
ROTATION_S = 24 * 3600
LIFETIME_S = VISIT_TOKEN_LIFETIME_S
MAX_TOKEN_CHARS = 1024
# Tokens issued a little in the future by a worker whose clock is ahead still verify.
LEEWAY_S = 5
TOKEN_SHAPE = re.compile(r"v1\.[0-9]{1,10}\.[A-Za-z0-9_-]{1,900}\.[A-Za-z0-9_-]{43}")
PURPOSE = "visit-token"


@dataclass(frozen=True)
class VisitClaims:
    """What a verified token says: the state of the visit at configuration ``version``."""

    version: int
    expires_s: int
    state: SessionState


@dataclass(frozen=True)
class Rejected:
    reason: str


@dataclass
class VisitTokens:
    """Issues and verifies visit tokens with keys derived from the server key."""

    server_key: ServerKey = field(repr=False)
    lifetime_s: int = LIFETIME_S
    rotation_s: int = ROTATION_S
    _keys: dict[int, bytes] = field(default_factory=dict, repr=False)

    def issue(self, client_id: str, session_id: str, state: SessionState, version: int, now_s: float) -> str:
        """A token for ``state`` of visit ``(client_id, session_id)`` at ``version``, valid ``lifetime_s``."""
        kid = int(now_s) // self.rotation_s
        payload = {
            "v": version,
            "e": int(now_s) + self.lifetime_s,
            "p": [p.to_json() for p in state.picks],
            "a": state.auto_opens,
            "i": int(state.identified),
        }
        body = f"{VERSION}.{kid}.{_b64(json.dumps(payload, separators=(',', ':')).encode())}"
        return f"{body}.{_b64(self._mac(kid, body, client_id, session_id))}"

    def verify(self, token: object, client_id: str, session_id: str, now_s: float) -> VisitClaims | Rejected:
        """The claims of a token issued for this visit that is still valid at ``now_s``."""
        if not isinstance(token, str) or len(token) > MAX_TOKEN_CHARS or not TOKEN_SHAPE.fullmatch(token):
            return Rejected("not a visit token")
        body, _, mac = token.rpartition(".")
        kid = int(body.split(".")[1])
        current = int(now_s) // self.rotation_s
        if kid not in (current, current - 1):
            return Rejected("unknown key id")
        if not hmac.compare_digest(_unb64(mac), self._mac(kid, body, client_id, session_id)):
            return Rejected("bad signature")
        claims = _parse_payload(body.split(".")[2])
        if claims is None:
            return Rejected("malformed payload")
        if claims.expires_s <= now_s:
            return Rejected("expired")
        if claims.expires_s > now_s + self.lifetime_s + LEEWAY_S:
            return Rejected("expires too far ahead")
        return claims

    def _mac(self, kid: int, body: str, client_id: str, session_id: str) -> bytes:
        key = self._keys.get(kid)
        if key is None:
            key = self.server_key.derive(f"{PURPOSE}/{kid}")
            # Two periods are ever in use; keep the dict from growing in a long-lived worker.
            if len(self._keys) > 4:
                self._keys.clear()
            self._keys[kid] = key
        message = f"{body}\0{client_id}\0{session_id}".encode()
        return hmac.new(key, message, hashlib.sha256).digest()


def _parse_payload(encoded: str) -> VisitClaims | None:
    """The claims of a payload whose MAC verified (still checked: the MAC proves origin, not shape)."""
    try:
        data = json.loads(_unb64(encoded))
    except (ValueError, binascii.Error):
        return None
    if not isinstance(data, dict):
        return None
    version, expires, picks, opens, identified = (data.get(k) for k in ("v", "e", "p", "a", "i"))
    if not (_is_count(version) and _is_count(expires) and _is_count(opens)) or identified not in (0, 1):
        return None
    if not isinstance(picks, list) or len(picks) > MAX_PICKS:
        return None
    parsed = tuple(Pick.from_json(p) for p in picks)
    if any(p is None for p in parsed):
        return None
    state = SessionState(tuple(p for p in parsed if p is not None), opens, identified == 1)
    return VisitClaims(version, expires, state)


def _is_count(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
