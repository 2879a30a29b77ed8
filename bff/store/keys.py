"""The Redis key schema, in one place.

Every key of a merchant carries the merchant id in a hash tag (``{m:<id>}``) so that all
of one merchant's keys land in the same Redis Cluster slot and can share a pipeline.
Keys that belong to no merchant live under an area's own tag (``area_prefix``):
``{auth}`` (dashboard users, sessions and lockouts), ``{audit}`` (the audit chain) and ``{mon}`` (monitoring,
whose keys are listed in ``bff/monitoring/keys.py``) and ``{erasure}`` (AOF rewrites after
erasures).

A shopper appears in keys only as a ref pseudonym: ``ref_digest`` is BLAKE2b keyed by the
server's ``ref-pseudonym`` key (``bff/server_key.py``, never in Redis) over the merchant id
and the ref, so nobody who can read Redis, the logs or the audit records can confirm a
guessed ref, and one ref has unrelated pseudonyms at two merchants. The functions that
take a ``ref_hash`` want its hex form (``ProfileStore.ref_hash``).
"""

from __future__ import annotations

import hashlib

PREFIX = "onsite"
REF_DIGEST_BYTES = 12


def area_prefix(area: str) -> str:
    """Prefix of an area's keys, all in one Cluster slot: ``area_prefix("audit") == "onsite:{audit}"``."""
    return f"{PREFIX}:{{{area}}}"


def merchant_tag(client_id: str) -> str:
    """The Cluster hash tag of a merchant."""
    return f"{{m:{client_id}}}"


def merchant_key(client_id: str) -> str:
    """JSON document of the merchant (origins, currencies, placement keys)."""
    return f"{PREFIX}:{merchant_tag(client_id)}:merchant"


def merchant_history_key(client_id: str) -> str:
    """List of the merchant's earlier documents, newest first (``bff/store/merchant_documents.py``)."""
    return f"{PREFIX}:{merchant_tag(client_id)}:merchant-history"


def merchant_ids_key() -> str:
    """Set of the ids of every merchant saved since documents were versioned."""
    return f"{area_prefix('merchants')}:ids"


def config_version_key(client_id: str) -> str:
    """Integer bumped on every change of the merchant or of one of its campaigns."""
    return f"{PREFIX}:{merchant_tag(client_id)}:version"


def campaigns_key(client_id: str) -> str:
    """Hash: campaign id -> campaign JSON (with its own ``version``)."""
    return f"{PREFIX}:{merchant_tag(client_id)}:campaigns"


def session_key(client_id: str, session_id: str) -> str:
    """JSON of the visit's sticky picks and interstitial auto-open count (sliding TTL)."""
    return f"{PREFIX}:{merchant_tag(client_id)}:session:{session_id}"


def auto_open_day_key(client_id: str, shopper: str, day: str) -> str:
    """Interstitial auto-opens of one visit (``shopper`` is the session id, never a raw ref)
    on one UTC day (``YYYY-MM-DD``)."""
    return f"{PREFIX}:{merchant_tag(client_id)}:auto-open:{shopper}:{day}"


def api_keys_key() -> str:
    """Hash: SHA-256 of an API key -> JSON record (merchant scope, role, timestamps)."""
    return f"{PREFIX}:api-keys"


def merchant_api_keys_key(client_id: str) -> str:
    """Set of the SHA-256 digests of the merchant's API keys (an index of ``api_keys_key``)."""
    return f"{PREFIX}:{merchant_tag(client_id)}:api-keys"


def api_keys_indexed_key() -> str:
    """Set once every key created before the per-merchant index is in it (``ApiKeyStore.list``)."""
    return f"{PREFIX}:api-keys-indexed"


def profile_location(client_id: str, digest: bytes, bucket_bits: int) -> tuple[str, bytes]:
    """(bucket hash key, field) of the profile of the ref whose ``ref_digest`` is ``digest``:
    100M profiles spread over ``2**bucket_bits`` hashes.

    The first 4 bytes of the digest choose the bucket, the other 8 are the field, so no raw
    customer ref is ever stored. The hash tag holds merchant and bucket, so buckets spread
    over a Redis Cluster's slots while each bucket stays on one node.
    """
    bucket = int.from_bytes(digest[:4], "big") >> (32 - bucket_bits)
    return f"{PREFIX}:profiles:{{{client_id}:{bucket:x}}}", digest[4:]


def ref_sessions_key(client_id: str, ref_hash: str) -> str:
    """Set of session ids in which this shopper was identified (for GDPR export and erasure)."""
    return f"{PREFIX}:{merchant_tag(client_id)}:ref-sessions:{ref_hash}"


def consent_log_key(client_id: str, ref_hash: str) -> str:
    """List of this shopper's consent changes (JSON records)."""
    return f"{PREFIX}:{merchant_tag(client_id)}:consent:{ref_hash}"


def consent_state_key(client_id: str, ref_hash: str) -> str:
    """Hash of this shopper's current consent (field per purpose, e.g. ``personalization``)."""
    return f"{PREFIX}:{merchant_tag(client_id)}:consent-state:{ref_hash}"


def identity_secrets_key(client_id: str) -> str:
    """JSON list of the merchant's identity secret records (ids and dates, no secret)."""
    return f"{PREFIX}:{merchant_tag(client_id)}:identity-secrets"


def catalogue_key(client_id: str) -> str:
    """JSON list of the merchant's products (for interest-based recommendations)."""
    return f"{PREFIX}:{merchant_tag(client_id)}:catalogue"


def delivery_key(client_id: str) -> str:
    """JSON delivery table of the merchant: country -> city -> options."""
    return f"{PREFIX}:{merchant_tag(client_id)}:delivery"


def aof_rewrite_key() -> str:
    """Hash of the batched AOF rewrites after erasures (``bff/store/aof_rewrites.py``)."""
    return f"{area_prefix('erasure')}:aof-rewrite"


def ref_digest(pseudonym_key: bytes, client_id: str, customer_ref: str) -> bytes:
    """12 bytes of BLAKE2b keyed by the server's ``ref-pseudonym`` key over (merchant, ref).

    One pseudonym serves the profile's location and the ref hash of keys, logs and audit
    records. The merchant id is length-prefixed so that no (merchant, ref) pair can collide
    with another by moving characters across the boundary.
    """
    merchant = client_id.encode()
    message = len(merchant).to_bytes(2, "big") + merchant + customer_ref.encode()
    return hashlib.blake2b(message, digest_size=REF_DIGEST_BYTES, key=pseudonym_key).digest()
