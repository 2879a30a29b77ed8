"""Why placements would not show on a page of some origin (pure)."""

from __future__ import annotations

from typing import Any

import pytest

from bff.decisions.merchant import parse_merchant
from bff.decisions.page_check import frame_cause, near_misses, page_checks

SHOP: dict[str, Any] = {
    "client_id": "shop",
    "name": "Shop",
    "allowed_origins": ["https://www.shop.example", "https://shop.example:8443"],
    "markets": [{"country": "GB", "locale": "en-GB", "currency": "GBP"}],
    "placements": {"badge": "badge"},
}


def merchant(**changes: Any):  # type: ignore[no-untyped-def]
    return parse_merchant({**SHOP, **changes})


@pytest.mark.parametrize(
    ("changes", "origin", "cause"),
    [
        ({}, "https://www.shop.example", "ok"),
        ({}, "https://shop.example", "origin_not_allowed"),
        ({}, None, "origin_not_allowed"),
        ({"disabled": True}, "https://www.shop.example", "unknown_client"),
    ],
)
def test_frame_cause(changes: dict[str, Any], origin: str | None, cause: str) -> None:
    assert frame_cause(merchant(**changes), origin) == cause


def test_an_unknown_client_is_the_first_cause() -> None:
    assert frame_cause(None, "https://www.shop.example") == "unknown_client"


def test_near_misses_name_the_www_twin_and_other_ports() -> None:
    allowed = ("https://www.shop.example", "https://shop.example:8443", "https://other.example")
    assert near_misses(allowed, "https://shop.example") == [
        "https://www.shop.example",
        "https://shop.example:8443",
    ]
    assert near_misses(allowed, "https://other.example") == []


def test_every_check_passes_for_a_ready_merchant() -> None:
    checks = page_checks(merchant(), "https://www.shop.example", live_campaigns=1)
    assert [c.name for c in checks] == [
        "origin_allowed",
        "client_live",
        "has_market",
        "has_placement",
        "has_campaign",
    ]
    assert all(c.ok for c in checks), checks


def test_each_missing_piece_fails_with_what_to_do() -> None:
    bare = merchant(markets=[], currencies={}, placements={}, disabled=True)
    checks = {c.name: c for c in page_checks(bare, "https://shop.example", live_campaigns=0)}
    assert not any(c.ok for c in checks.values())
    origin = checks["origin_allowed"].text
    assert "but https://www.shop.example and https://shop.example:8443 are" in origin and "exactly" in origin
    assert "disabled" in checks["client_live"].text
    assert "add one" in checks["has_market"].text and "add one" in checks["has_placement"].text
    assert "no active campaign" in checks["has_campaign"].text


def test_an_origin_with_no_near_miss_says_to_allow_it() -> None:
    text = page_checks(merchant(), "https://elsewhere.example", 1)[0].text
    assert text.startswith("https://elsewhere.example is not an allowed origin: allow it")
