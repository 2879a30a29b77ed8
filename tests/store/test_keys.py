"""The ref pseudonym (pure): keyed by the server secret, per merchant, and the profile location."""

from __future__ import annotations

import hashlib

from bff.server_key import ServerKey
from bff.store import keys

KEY = ServerKey(b"s" * 32).derive("ref-pseudonym")


def old_scheme(client_id: str, ref: str) -> str:
    """The pseudonym before the server key: BLAKE2b keyed by the public client id."""
    return hashlib.blake2b(ref.encode(), digest_size=12, key=client_id.encode()[:64]).hexdigest()


def test_the_pseudonym_needs_the_server_key() -> None:
    ours = keys.ref_digest(KEY, "demo", "demo-anna")
    assert len(ours) == keys.REF_DIGEST_BYTES
    assert ours.hex() != old_scheme("demo", "demo-anna")
    others = (
        ServerKey(b"t" * 32).derive("ref-pseudonym"),  # another deployment's secret
        ServerKey(b"s" * 32).derive("audit-chain"),  # another purpose of the same secret
        b"demo",  # the public client id, as before
    )
    assert all(keys.ref_digest(other, "demo", "demo-anna") != ours for other in others)
    assert keys.ref_digest(KEY, "demo", "demo-anna") == ours  # stable


def test_one_ref_has_unrelated_pseudonyms_at_two_merchants() -> None:
    assert keys.ref_digest(KEY, "shop-a", "c-1") != keys.ref_digest(KEY, "shop-b", "c-1")
    # The merchant id is length-prefixed: moving characters across the boundary changes it.
    assert keys.ref_digest(KEY, "ab", "c") != keys.ref_digest(KEY, "a", "bc")


def test_the_profile_location_splits_the_digest() -> None:
    digest = keys.ref_digest(KEY, "demo", "demo-anna")
    bucket_key, field = keys.profile_location("demo", digest, 20)
    assert field == digest[4:]
    assert bucket_key == f"onsite:profiles:{{demo:{int.from_bytes(digest[:4], 'big') >> 12:x}}}"


def test_shopper_keys_carry_only_the_ref_hash() -> None:
    ref_hash = keys.ref_digest(KEY, "demo", "demo-anna").hex()
    for make in (keys.ref_sessions_key, keys.consent_log_key, keys.consent_state_key):
        key = make("demo", ref_hash)
        assert key.startswith("onsite:{m:demo}:") and key.endswith(ref_hash) and "anna" not in key
    assert keys.consent_state_key("demo", ref_hash) != keys.consent_log_key("demo", ref_hash)
