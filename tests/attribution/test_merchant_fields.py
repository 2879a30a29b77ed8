"""The merchant's attribution fields: ``order_source`` and ``attribution_window_days`` (pure)."""

from __future__ import annotations

from typing import Any

import pytest

from bff.attribution.ingest import counts_source
from bff.decisions.merchant import merchant_problems, parse_merchant

BASE: dict[str, Any] = {
    "client_id": "shop",
    "allowed_origins": ["https://shop.example"],
    "currencies": {"en-GB": "GBP"},
    "placements": {"credit-badge": "badge"},
}


def test_defaults_count_server_orders_over_seven_days() -> None:
    merchant = parse_merchant(BASE)
    assert (merchant.order_source, merchant.attribution_window_days) == ("server", 7)
    assert counts_source(merchant, "server") and not counts_source(merchant, "client")


@pytest.mark.parametrize(("source", "server", "client"), [("client", False, True), ("both", True, True)])
def test_order_source_chooses_what_counts(source: str, server: bool, client: bool) -> None:
    merchant = parse_merchant(BASE | {"order_source": source, "attribution_window_days": 30})
    assert (counts_source(merchant, "server"), counts_source(merchant, "client")) == (server, client)
    assert merchant.attribution_window_days == 30


@pytest.mark.parametrize(
    ("fields", "path"),
    [
        ({"order_source": "email"}, "order_source"),
        ({"order_source": 1}, "order_source"),
        ({"attribution_window_days": 0}, "attribution_window_days"),
        ({"attribution_window_days": 31}, "attribution_window_days"),
        ({"attribution_window_days": True}, "attribution_window_days"),
        ({"attribution_window_days": "7"}, "attribution_window_days"),
    ],
)
def test_bad_values_are_problems_with_their_path(fields: dict[str, Any], path: str) -> None:
    assert [p["path"] for p in merchant_problems(BASE | fields)] == [path]
