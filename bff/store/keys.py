"""The Redis key schema, in one place.

Every key of a merchant carries the merchant id in a hash tag (``{m:<id>}``) so that all
of one merchant's keys land in the same Redis Cluster slot and can share a pipeline.
"""

from __future__ import annotations

PREFIX = "onsite"


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
