"""The locale grid: one frame per market of the merchant, with its copy source and gaps."""

from __future__ import annotations

import re
from typing import Any

from tests.console.test_preview import campaign_form, save_draft

GRID = "/console/m/demo/campaigns/gb-pay-in-4/grid"


def cells(html: str) -> dict[str, str]:
    """Locale -> the cell's HTML."""
    found = re.findall(r'<figure[^>]*data-testid="grid-cell" data-locale="([^"]+)"(.*?</figure>)', html, re.S)
    return dict(found)


def test_the_grid_of_a_campaign_shows_every_market(app: Any, merchant_console: Any) -> None:
    response = merchant_console.get(GRID)
    assert response.status_code == 200
    grid = cells(response.text)
    markets = app.extensions["onsite.merchants"].load("demo").merchant.currencies
    assert set(grid) == set(markets)
    assert grid["en-GB"].count("data-grid-frame") == 1 and "con-gap" not in grid["en-GB"]
    assert "en-GB · GBP" in grid["en-GB"] and 'data-source="campaign"' in grid["en-GB"]
    assert 'data-source="built-in"' in grid["sv-SE"]
    assert "not in the campaign&#39;s markets (countries: GB)" in grid["sv-SE"]
    assert re.search(r'data-session-id="pv-desktop-[A-Za-z0-9_-]{22}"', response.text)


def test_the_grid_of_a_draft_names_a_translation_gap(app: Any, merchant_console: Any) -> None:
    form = campaign_form(app, countries=[], locales=[])
    draft = save_draft(merchant_console, form)
    response = merchant_console.get(f"/console/m/demo/preview/grid?draft={draft['draft_id']}&amount=5000")
    assert response.status_code == 200 and 'data-amount="5000"' in response.text
    grid = cells(response.text)
    assert "the campaign is in GBP, this market pays in SEK" in grid["sv-SE"]
    assert "con-gap" not in grid["en-US"].split('data-testid="grid-copy"')[1].split("</p>")[0]


def test_a_language_without_built_in_copy_is_a_gap(app: Any, admin_console: Any) -> None:
    merchant = {
        "client_id": "nordic-shop",
        "name": "Nordic",
        "allowed_origins": [],
        "currencies": {"en-GB": "GBP", "is-IS": "GBP"},
        "placements": {"credit-badge": "badge"},
    }
    documents = app.extensions["onsite.merchants"].documents
    documents.save(merchant, {"kind": "test", "id": "t"}, "2026-12-06T00:00:00+00:00", 0)
    doc = app.extensions["onsite.campaigns"].get("demo", "gb-pay-in-4") | {"markets": {}}
    with app.app_context():
        draft_id = drafts_of(app).save(admin_console.username, "nordic-shop", doc)
    grid = cells(admin_console.get(f"/console/m/nordic-shop/preview/grid?draft={draft_id}").text)
    assert 'data-source="missing"' in grid["is-IS"] and "no copy for &#39;is&#39;" in grid["is-IS"]
    assert 'data-gap="true"' in grid["is-IS"]
    assert 'data-source="campaign"' in grid["en-GB"]


def drafts_of(app: Any) -> Any:
    from bff.console.preview import drafts

    return drafts()


def test_an_expired_draft_grid_says_so(merchant_console: Any) -> None:
    response = merchant_console.get("/console/m/demo/preview/grid?draft=" + "A" * 22)
    assert response.status_code == 404 and 'data-testid="grid-expired"' in response.text


def test_another_merchants_campaign_grid_is_not_found(merchant_console: Any) -> None:
    assert merchant_console.get("/console/m/demo/campaigns/no-such/grid").status_code == 404
    assert merchant_console.get("/console/m/other-shop/campaigns/gb-pay-in-4/grid").status_code == 404
