"""The identity verifier remembers verified tokens, and never beyond what verification allows.

A signed-in shopper sends the same customer token with every render; the verifier checks
its signature once and then reuses the verdict for the same token, merchant and active
secrets, re-checking the expiry every time. Rejections are never remembered.
"""

from __future__ import annotations

from typing import Any

import pytest

from bff.identity import tokens, verifier
from bff.identity.verifier import IdentityVerifier
from bff.server_key import ServerKey

NOW = 1_000_000
SHOP = "shop"


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every signature verification the verifier asks ``tokens.verify`` for."""
    seen: list[str] = []
    original = tokens.verify

    def counting(token: str, *args: Any) -> Any:
        seen.append(token)
        return original(token, *args)

    monkeypatch.setattr(tokens, "verify", counting)
    return seen


def sign(identity: IdentityVerifier, ref: str, ttl_s: int = 600, secret_id: str = "aaaaaaaaaaaa") -> str:
    return tokens.sign(identity.secret(SHOP, secret_id), SHOP, ref, NOW, ttl_s, secret_id)


def make() -> IdentityVerifier:
    return IdentityVerifier(ServerKey(b"verifier-memory-test-" + b"k" * 32))


def test_a_verified_token_is_checked_once_then_remembered(counted: list[str]) -> None:
    identity = make()
    token = sign(identity, "c-1")
    first = identity.verify(token, SHOP, ["aaaaaaaaaaaa"], NOW)
    again = identity.verify(token, SHOP, ["aaaaaaaaaaaa"], NOW + 5)
    assert first == again == tokens.Verified("c-1", "aaaaaaaaaaaa")
    assert counted == [token]


def test_a_remembered_token_still_expires(counted: list[str]) -> None:
    identity = make()
    token = sign(identity, "c-1", ttl_s=60)
    assert isinstance(identity.verify(token, SHOP, ["aaaaaaaaaaaa"], NOW), tokens.Verified)
    late = identity.verify(token, SHOP, ["aaaaaaaaaaaa"], NOW + 60 + tokens.LEEWAY_S)
    assert late == tokens.Rejected("expired")
    assert len(counted) == 1


def test_a_revoked_secret_or_another_merchant_verifies_again(counted: list[str]) -> None:
    identity = make()
    token = sign(identity, "c-1")
    assert isinstance(identity.verify(token, SHOP, ["aaaaaaaaaaaa", "bbbbbbbbbbbb"], NOW), tokens.Verified)
    assert identity.verify(token, SHOP, ["bbbbbbbbbbbb"], NOW) == tokens.Rejected(
        "unknown or revoked secret id"
    )
    # Another merchant's secrets are derived for it: the token does not verify there.
    assert identity.verify(token, "other-shop", ["aaaaaaaaaaaa"], NOW) == tokens.Rejected("bad signature")
    assert len(counted) == 3


def test_rejections_are_not_remembered_and_the_memory_is_bounded(
    counted: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    identity = make()
    forged = sign(identity, "c-1")[:-2] + "AA"
    for _ in range(3):
        assert identity.verify(forged, SHOP, ["aaaaaaaaaaaa"], NOW) == tokens.Rejected("bad signature")
    assert len(counted) == 3 and not identity._verified
    monkeypatch.setattr(verifier, "MAX_REMEMBERED", 3)
    for n in range(10):
        assert isinstance(
            identity.verify(sign(identity, f"c-{n}"), SHOP, ["aaaaaaaaaaaa"], NOW), tokens.Verified
        )
        assert len(identity._verified) <= 3
