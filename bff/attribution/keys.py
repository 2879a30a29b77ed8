"""The Redis keys of attribution and of visits, all under the merchant's hash tag (``bff/store/keys.py``).

A merchant's touches, orders and counters share one Cluster slot, so the order script
(claim, record, count) runs atomically on one node.
"""

from __future__ import annotations

from bff.store.keys import PREFIX, merchant_tag


def touches_key(client_id: str, visit_id: str) -> str:
    """List of the visit's touches (JSON, oldest first, the last ``MAX_TOUCHES``); TTL: the window."""
    return f"{PREFIX}:{merchant_tag(client_id)}:touches:{visit_id}"


def visit_dimensions_key(client_id: str, visit_id: str) -> str:
    """The visit's dimensions, ``browser|device|channel|country`` of its first event with a user
    agent (``bff.monitoring.ingest.visit_dimensions``); TTL: ``VISIT_TTL_S``, sliding."""
    return f"{PREFIX}:{merchant_tag(client_id)}:visit:{visit_id}"


def order_key(client_id: str, source: str, order_id: str) -> str:
    """JSON of the first report of an order from one source (``server``/``client``) and its credits."""
    return f"{PREFIX}:{merchant_tag(client_id)}:order:{source}:{order_id}"


def order_claim_key(client_id: str, order_id: str) -> str:
    """The event id of the report that counted the order: the first of a counted source."""
    return f"{PREFIX}:{merchant_tag(client_id)}:order-claim:{order_id}"


def attributed_key(client_id: str, day: str) -> str:
    """Hash of one UTC day's counted orders: ``<model>|<campaign>|<variant>|<placement>|orders``
    and ``...|value|<currency>`` (minor units); ``all|orders``, ``all|value|<currency>``."""
    return f"{PREFIX}:{merchant_tag(client_id)}:attributed:{day}"


def funnel_key(client_id: str, day: str) -> str:
    """Hash of one UTC day's message events: ``<campaign>|<variant>|<placement>|<type>`` -> count."""
    return f"{PREFIX}:{merchant_tag(client_id)}:funnel:{day}"


def exposed_key(client_id: str, day: str, campaign_id: str | None = None, variant: str | None = None) -> str:
    """HyperLogLog of one UTC day's exposed visits (salted digests): of one (campaign, variant),
    or, without them, of every campaign."""
    target = "" if campaign_id is None else f":{campaign_id}|{variant}"
    return f"{PREFIX}:{merchant_tag(client_id)}:exposed:{day}{target}"
