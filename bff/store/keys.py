"""The Redis key schema, in one place.

Every key of a merchant carries the merchant id in a hash tag (``{m:<id>}``) so that all
of one merchant's keys land in the same Redis Cluster slot and can share a pipeline.
Keys that belong to no merchant live under an area's own tag (``area_prefix``):
``{auth}`` (dashboard users), ``{audit}`` (the audit chain) and ``{mon}`` (monitoring,
whose keys are listed in ``bff/monitoring/keys.py``).
"""

from __future__ import annotations

import hashlib

PREFIX = "onsite"


def area_prefix(area: str) -> str:
    """Prefix of an area's keys, all in one Cluster slot: ``area_prefix("audit") == "onsite:{audit}"``."""
    return f"{PREFIX}:{{{area}}}"


def merchant_tag(client_id: str) -> str:
    """The Cluster hash tag of a merchant."""
    return f"{{m:{client_id}}}"


def merchant_key(client_id: str) -> str:
    """JSON document of the merchant (origins, currencies, placement keys)."""
    return f"{PREFIX}:{merchant_tag(client_id)}:merchant"


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
    """Interstitial auto-opens of one shopper (customer ref or session) on one day."""
    return f"{PREFIX}:{merchant_tag(client_id)}:auto-open:{shopper}:{day}"


def api_keys_key() -> str:
    """Hash: SHA-256 of an API key -> JSON record (merchant scope, role, timestamps)."""
    return f"{PREFIX}:api-keys"


def profile_location(client_id: str, customer_ref: str, bucket_bits: int) -> tuple[str, bytes]:
    """(bucket hash key, field) of a profile: 100M profiles spread over ``2**bucket_bits`` hashes.

    The field is 8 bytes of a keyed BLAKE2b digest of the ref, so no raw customer ref is
    ever stored. The hash tag holds merchant and bucket, so buckets spread over a Redis
    Cluster's slots while each bucket stays on one node.
    """
    digest = _ref_digest(client_id, customer_ref)
    bucket = int.from_bytes(digest[:4], "big") >> (32 - bucket_bits)
    return f"{PREFIX}:profiles:{{{client_id}:{bucket:x}}}", digest[4:]


def ref_sessions_key(client_id: str, customer_ref: str) -> str:
    """Set of session ids in which this shopper was identified (for GDPR export and erasure)."""
    return f"{PREFIX}:{merchant_tag(client_id)}:ref-sessions:{ref_hash(client_id, customer_ref)}"


def consent_log_key(client_id: str, customer_ref: str) -> str:
    """List of this shopper's consent changes (JSON records)."""
    return f"{PREFIX}:{merchant_tag(client_id)}:consent:{ref_hash(client_id, customer_ref)}"


def catalogue_key(client_id: str) -> str:
    """JSON list of the merchant's products (for interest-based recommendations)."""
    return f"{PREFIX}:{merchant_tag(client_id)}:catalogue"


def delivery_key(client_id: str) -> str:
    """JSON delivery table of the merchant: country -> city -> options."""
    return f"{PREFIX}:{merchant_tag(client_id)}:delivery"


def ref_hash(client_id: str, customer_ref: str) -> str:
    """A stable pseudonym of a customer ref (hex), for keys, logs and events."""
    return _ref_digest(client_id, customer_ref).hex()


def _ref_digest(client_id: str, customer_ref: str) -> bytes:
    """12 bytes of BLAKE2b over the ref, keyed by the merchant: one pseudonym for keys and logs."""
    return hashlib.blake2b(customer_ref.encode(), digest_size=12, key=client_id.encode()[:64]).digest()
