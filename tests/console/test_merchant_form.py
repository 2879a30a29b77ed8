"""The settings form, read and shown (pure: no app, no Redis)."""

from __future__ import annotations

from typing import Any

import pytest

from bff.console.merchant_form import (
    FORM,
    MAX_ORIGINS_CHARS,
    SPARE_ROWS,
    problems_by_field,
    read_settings_form,
    settings_form_of,
)

DOC: dict[str, Any] = {
    "client_id": "shop",
    "name": "Shop",
    "allowed_origins": ["https://shop.example"],
    "markets": [{"country": "GB", "locale": "en-GB", "currency": "GBP"}],
    "placements": {"badge-1": "badge"},
    "brand": {"primary_color": "#112233", "corner_radius": 8},
    "version": 4,
}


def posted(**fields: str) -> dict[str, str]:
    """A minimal valid post, with ``fields`` on top."""
    return {"name": "Shop", "origins": "", **fields}


def test_a_document_is_shown_with_spare_rows_and_default_colours() -> None:
    form = settings_form_of(DOC)
    assert form.origins == "https://shop.example"
    assert form.markets[0] == {"country": "GB", "locale": "en-GB", "currency": "GBP"}
    assert len(form.markets) == 1 + SPARE_ROWS and form.markets[-1] == {
        "country": "",
        "locale": "",
        "currency": "",
    }
    assert (
        form.placements[0] == {"key": "badge-1", "type": "badge"} and len(form.placements) == 1 + SPARE_ROWS
    )
    assert form.use_colors and form.brand["primary_color"] == "#112233"
    assert form.brand["background_color"] == "#ffffff"  # unset: the colour input's default
    assert form.brand["corner_radius"] == "8" and form.brand["font"] == ""


def test_a_post_becomes_changes_ignoring_empty_rows() -> None:
    form = read_settings_form(
        posted(
            name="  Nordic Chairs ",
            origins="https://Shop.example/\n\n  https://bücher.example  \nhttp://localhost:5000",
            with_www="1",
            **{"market-0-country": "gb", "market-0-locale": "en-GB", "market-0-currency": "gbp"},
            **{"market-1-country": "", "market-1-locale": "", "market-1-currency": ""},
            **{
                "placement-0-key": "cart",
                "placement-0-type": "strip",
                "placement-1-key": "",
                "placement-1-type": "badge",
            },
            **{
                "brand-logo_url": "https://cdn.example/l.svg",
                "brand-corner_radius": "12",
                "brand-font": "inter",
            },
            **{"brand-primary_color": "#AABBCC"},  # ignored: "use my colours" is not ticked
        )
    )
    assert form.problems == {}
    assert form.changes == {
        "name": "Nordic Chairs",
        "allowed_origins": [
            "https://shop.example",
            "https://www.shop.example",
            "https://xn--bcher-kva.example",
            "https://www.xn--bcher-kva.example",
            "http://localhost:5000",  # loopback: no www twin
        ],
        "markets": [{"country": "GB", "locale": "en-GB", "currency": "GBP"}],
        "placements": {"cart": "strip"},
        "brand": {"logo_url": "https://cdn.example/l.svg", "corner_radius": 12, "font": "inter"},
    }
    # The rows posted, less the empty ones at the end, then spare ones (not more each time).
    assert len(form.markets) == 1 + SPARE_ROWS and len(form.placements) == 1 + SPARE_ROWS


def test_no_markets_and_no_brand_remove_those_fields() -> None:
    form = read_settings_form(posted(use_colors=""))
    assert form.changes["markets"] is None and form.changes["brand"] is None
    assert form.changes["placements"] == {} and form.changes["allowed_origins"] == []


def test_colours_are_kept_when_ticked() -> None:
    colours = {
        "brand-primary_color": "#AABBCC",
        "brand-text_color": "#000000",
        "brand-background_color": "#ffffff",
    }
    form = read_settings_form(posted(use_colors="1", **colours))
    assert form.changes["brand"] == {
        "primary_color": "#aabbcc",
        "text_color": "#000000",
        "background_color": "#ffffff",
    }


@pytest.mark.parametrize(
    ("fields", "field_id", "text"),
    [
        ({"name": ""}, "name", "Give the shop a name"),
        ({"name": "x" * 10_000}, "name", "at most 200 characters (this one has 10,000)"),
        ({"origins": "shop.example"}, "origins", "write the scheme too"),
        ({"origins": "https://shop.example/checkout"}, "origins", "no path"),
        ({"origins": "https://*.shop.example"}, "origins", "wildcards are not allowed"),
        ({"origins": "http://shop.example"}, "origins", "use https"),
        ({"origins": "x" * (MAX_ORIGINS_CHARS + 1)}, "origins", "At most 20,000 characters"),
        (
            {"origins": "\n".join(f"https://s{i}.example" for i in range(101))},
            "origins",
            "At most 100 origins",
        ),
        (
            {"placement-0-key": "a", "placement-0-type": "badge", "placement-1-key": "a"},
            "placement-1-key",
            "twice",
        ),
        ({"placement-0-key": "a", "placement-0-type": "popup"}, "placement-0-type", "Choose one of"),
        ({"placement-0-key": "k" * 65, "placement-0-type": "badge"}, "placement-0-key", "At most 64"),
        ({"market-0-country": "G" * 100}, "market-0-country", "At most 64"),
        ({"brand-corner_radius": "25"}, "brand-corner_radius", "0-24"),
        ({"brand-corner_radius": "²"}, "brand-corner_radius", "whole number"),
        ({"brand-corner_radius": "-1"}, "brand-corner_radius", "whole number"),
        ({"use_colors": "1", "brand-primary_color": "red"}, "brand-primary_color", "#rrggbb"),
        ({"brand-logo_url": "https://x.example/" + "a" * 3000}, "brand-logo_url", "At most 2048"),
    ],
)
def test_the_form_refuses_what_it_can_tell_is_wrong(fields: dict[str, str], field_id: str, text: str) -> None:
    form = read_settings_form(posted(**fields))
    assert field_id in form.problems, form.problems
    assert text.lower() in " ".join(form.problems[field_id]).lower()


def test_echoed_values_are_capped() -> None:
    form = read_settings_form(posted(name="n" * 10_000, origins="o" * 50_000))
    assert len(form.name) == 200 and len(form.origins) == MAX_ORIGINS_CHARS


def test_back_end_problems_land_on_their_fields() -> None:
    form = read_settings_form(
        posted(
            origins="https://a.example\nhttps://b.example",
            **{"market-0-country": "", "market-0-locale": "", "market-0-currency": ""},
            **{"market-1-country": "GB", "market-1-locale": "en-GB", "market-1-currency": "XX"},
            **{"placement-0-key": "<script>", "placement-0-type": "badge"},
        )
    )
    problems = [
        {"path": "allowed_origins[1]", "message": "is listed twice"},
        {"path": "markets[0].currency", "message": "must be ISO 4217"},
        {"path": "markets[0]", "message": "is listed twice"},
        {"path": "placements.<script>", "message": "the key must be 1-64 letters"},
        {"path": "brand.corner_radius", "message": "must be 0-24 (px)"},
        {"path": "currencies.en-GB", "message": "markets give en-GB the currency GBP"},
        {"path": "disabled", "message": "expected a boolean"},
    ]
    placed = problems_by_field(form, problems)
    assert placed["origins"] == ["https://b.example: is listed twice"]
    # The empty first row is skipped: the document's markets[0] is the form's row 1.
    assert placed["market-1-currency"] == ["must be ISO 4217"]
    assert placed["market-1-country"] == ["is listed twice"]
    assert placed["placement-0-key"] == ["the key must be 1-64 letters"]
    assert placed["brand-corner_radius"] == ["must be 0-24 (px)"]
    assert placed["markets"] == ["markets give en-GB the currency GBP"]
    assert placed[FORM] == ["disabled: expected a boolean"]


def test_orders_and_window_round_trip_and_an_old_form_changes_neither() -> None:
    shown = settings_form_of({**DOC, "order_source": "client", "attribution_window_days": 3})
    assert (shown.order_source, shown.attribution_window_days) == ("client", "3")
    assert (settings_form_of(DOC).order_source, settings_form_of(DOC).attribution_window_days) == (
        "server",
        "7",
    )
    form = read_settings_form(posted(order_source="client", attribution_window_days="3"))
    assert form.problems == {}
    assert form.changes["order_source"] == "client" and form.changes["attribution_window_days"] == 3
    old = read_settings_form(posted())
    assert "order_source" not in old.changes and "attribution_window_days" not in old.changes


@pytest.mark.parametrize(
    ("fields", "field_id"),
    [
        ({"order_source": "shopper", "attribution_window_days": "7"}, "order_source"),
        ({"order_source": "server", "attribution_window_days": "0"}, "attribution_window_days"),
        ({"order_source": "server", "attribution_window_days": "١٢"}, "attribution_window_days"),
        ({"order_source": "server", "attribution_window_days": "9" * 100}, "attribution_window_days"),
    ],
)
def test_a_bad_order_source_or_window_is_refused(fields: dict[str, str], field_id: str) -> None:
    form = read_settings_form(posted(**fields))
    assert list(form.problems) == [field_id]
    assert len(form.attribution_window_days) <= 64


def test_back_end_problems_of_the_order_fields_land_on_them() -> None:
    form = read_settings_form(posted(order_source="server", attribution_window_days="7"))
    placed = problems_by_field(form, [{"path": "attribution_window_days", "message": "must be 1-30"}])
    assert placed == {"attribution_window_days": ["must be 1-30"]}
