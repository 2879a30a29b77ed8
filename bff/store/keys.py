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
    """JSON document of the merchant's configuration (origins, markets, campaigns)."""
    return f"{PREFIX}:{merchant_tag(client_id)}:merchant"


def merchant_version_key(client_id: str) -> str:
    """Integer bumped on every change of the merchant document; caches compare it."""
    return f"{PREFIX}:{merchant_tag(client_id)}:merchant:version"
