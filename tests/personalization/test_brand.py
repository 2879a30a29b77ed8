"""The merchant's brand as the frames get it (bff/personalization/brand.py), and through a real render."""

from __future__ import annotations

from typing import Any

import pytest

from bff.decisions.merchant import Brand, merchant_problems
from bff.personalization.brand import brand_style, with_brand
from tests.demo_render import demo_render_call

BRAND = {
    "primary_color": "#0a7d3b",
    "text_color": "#101010",
    "background_color": "#fafafa",
    "logo_url": "https://cdn.shop.example/brand/logo.svg",
    "corner_radius": 4,
    "font": "system",
}


def test_brand_style_maps_fields_to_the_frames_custom_properties() -> None:
    style = brand_style(Brand(**BRAND))  # type: ignore[arg-type]
    assert style == {
        "vars": {
            "--onsite-accent": "#0a7d3b",
            "--onsite-fg": "#101010",
            "--onsite-bg": "#fafafa",
            "--onsite-radius": "4px",
        },
        "font": "system",
        "logo_url": "https://cdn.shop.example/brand/logo.svg",
    }
    assert brand_style(Brand(corner_radius=0)) == {
        "vars": {"--onsite-radius": "0px"},
        "font": "inter",
        "logo_url": None,
    }
    assert brand_style(None) is None


def test_with_brand_leaves_empty_results_and_brandless_merchants_alone() -> None:
    empty = {"kind": "empty", "reason": "no_eligible_campaign"}
    badge = {"kind": "badge", "html": "x", "text": "x"}
    assert with_brand(empty, Brand(primary_color="#000000")) is empty
    assert with_brand(badge, None) is badge
    branded = with_brand(badge, Brand(primary_color="#000000"))
    assert branded["brand"]["vars"] == {"--onsite-accent": "#000000"} and "brand" not in badge


@pytest.mark.parametrize(
    "logo_url",
    [
        "http://cdn.shop.example/logo.svg",
        "https://a;b.example/logo.svg",
        "https://cdn.shop.example/logo.svg' onerror='x",
        "https://user:pw@cdn.shop.example/logo.svg",
        "https://[::1]/logo.svg",
        "javascript:alert(1)",
    ],
)
def test_a_logo_url_that_could_not_go_into_a_csp_is_refused(logo_url: str) -> None:
    doc = {
        "client_id": "x",
        "allowed_origins": [],
        "currencies": {},
        "placements": {},
        "brand": {"logo_url": logo_url},
    }
    assert [p["path"] for p in merchant_problems(doc)] == ["brand.logo_url"]


def _set_demo(admin_rpc, changes: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    version = admin_rpc("merchants.get", {})["result"]["merchant"]["version"]
    answer = admin_rpc("merchants.update", {"version": version, "changes": changes})
    assert "result" in answer, answer


def test_a_render_carries_the_brand_and_the_frame_may_load_the_logo(client, admin_rpc) -> None:  # type: ignore[no-untyped-def]
    before = client.post("/rpc", json=demo_render_call("b" * 32)).get_json()["result"]
    assert before["kind"] == "badge" and "brand" not in before
    _set_demo(admin_rpc, {"brand": BRAND})
    after = client.post("/rpc", json=demo_render_call("b" * 32)).get_json()["result"]
    assert after["brand"]["vars"]["--onsite-accent"] == "#0a7d3b" and after["brand"]["font"] == "system"
    shell = client.get("/frame/interstitial?client_id=demo")
    img_src = next(d for d in shell.headers["Content-Security-Policy"].split("; ") if d.startswith("img-src"))
    assert img_src == "img-src 'self' data: https://cdn.shop.example"


def test_a_render_takes_the_country_of_the_locale_s_market(client, admin_rpc) -> None:  # type: ignore[no-untyped-def]
    """A locale without a region ("es" sold in the US market) is judged as that market's country."""
    call = demo_render_call("c" * 32)
    call["params"].update(locale="es", purchase_amount=9900)
    assert client.post("/rpc", json=call).get_json()["result"]["reason"] == "no_market_for_locale"
    _set_demo(admin_rpc, {"markets": [{"country": "US", "locale": "es", "currency": "USD"}]})
    result = client.post("/rpc", json=call).get_json()["result"]
    assert result["kind"] != "empty", result  # the US campaigns (countries: US) apply to "es" now
    assert result["currency"] == "USD"
