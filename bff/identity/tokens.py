"""Customer tokens (pure: no I/O, the clock is passed in).

A customer token is a JWT (RFC 7519) signed with HS256 by the merchant's server with one
of the merchant's identity secrets. The BFF reads a shopper's profile only for a token
that verifies. Claims:

* ``sub``: the customer ref (the merchant's opaque id of the shopper), required;
* ``aud``: the merchant's client id, required, so a token of one merchant never works
  for another even if the two shared a secret;
* ``exp``: expiry (seconds since the epoch), required, at most ``MAX_LIFETIME_S`` ahead;
* ``iat``: optional; ``kid`` (header): optional, the id of the secret that signed it.

``verify`` never raises for bad input: it returns ``Verified`` or ``Rejected`` with a
reason fit for a log line (it never contains the token or the ref).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import jwt

ALGORITHM = "HS256"
MAX_LIFETIME_S = 24 * 3600
MAX_TOKEN_CHARS = 2048
LEEWAY_S = 30
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")
CUSTOMER_REF = re.compile(r"[A-Za-z0-9_.:@+=-]{1,128}")


@dataclass(frozen=True)
class Verified:
    customer_ref: str
    secret_id: str
    expires_s: float = field(default=0.0, compare=False)  # the token's ``exp``


@dataclass(frozen=True)
class Rejected:
    reason: str


def sign(
    secret: str,
    client_id: str,
    customer_ref: str,
    now_s: int,
    ttl_s: int = 3600,
    secret_id: str | None = None,
) -> str:
    """A token for ``customer_ref`` of ``client_id``, valid ``ttl_s`` seconds from ``now_s``."""
    headers = {"kid": secret_id} if secret_id else None
    claims = {"sub": customer_ref, "aud": client_id, "iat": now_s, "exp": now_s + ttl_s}
    return jwt.encode(claims, secret, algorithm=ALGORITHM, headers=headers)


def verify(token: str, client_id: str, secrets: Mapping[str, str], now_s: float) -> Verified | Rejected:
    """Check ``token`` against the merchant's active ``secrets`` (secret id -> secret).

    With a ``kid`` header only that secret is tried; without one, each active secret (at
    most two: see ``bff.identity.secrets``).
    """
    if not isinstance(token, str) or len(token) > MAX_TOKEN_CHARS or not TOKEN_SHAPE.fullmatch(token):
        return Rejected("not a token")
    if not secrets:
        return Rejected("the merchant has no active identity secret")
    try:
        kid = jwt.get_unverified_header(token).get("kid")
    except jwt.PyJWTError:
        return Rejected("unreadable header")
    if kid is not None:
        if not isinstance(kid, str) or kid not in secrets:
            return Rejected("unknown or revoked secret id")
        candidates = [(kid, secrets[kid])]
    else:
        candidates = list(secrets.items())
    for secret_id, secret in candidates:
        try:
            claims = jwt.decode(
                token,
                secret,
                algorithms=[ALGORITHM],
                audience=client_id,
                # The clock is ours: expiry is checked below against now_s.
                options={"require": ["sub", "aud", "exp"], "verify_exp": False, "verify_iat": False},
            )
        except jwt.InvalidSignatureError:
            continue
        except jwt.InvalidAudienceError:
            return Rejected("issued for another merchant")
        except jwt.PyJWTError:
            return Rejected("malformed token")
        return _check_claims(claims, secret_id, now_s)
    return Rejected("bad signature")


def _check_claims(claims: Mapping[str, object], secret_id: str, now_s: float) -> Verified | Rejected:
    exp, sub = claims.get("exp"), claims.get("sub")
    if not isinstance(exp, int | float) or isinstance(exp, bool):
        return Rejected("exp must be a number")
    problem = lifetime_problem(exp, now_s)
    if problem is not None:
        return Rejected(problem)
    if not isinstance(sub, str) or not CUSTOMER_REF.fullmatch(sub):
        return Rejected("sub is not a customer ref")
    return Verified(sub, secret_id, float(exp))


def lifetime_problem(expires_s: float, now_s: float) -> str | None:
    """Why a token expiring at ``expires_s`` is not valid at ``now_s``, or None."""
    if expires_s + LEEWAY_S <= now_s:
        return "expired"
    if expires_s > now_s + MAX_LIFETIME_S + LEEWAY_S:
        return f"expires more than {MAX_LIFETIME_S} s ahead"
    return None
