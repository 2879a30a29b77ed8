"""The demo shop: a merchant's product page, served from a different origin than the frames."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, current_app, redirect, render_template, request

from bff.origins import normalize_origin
from bff.settings import Settings
from bff.store.merchants import MerchantStore

bp = Blueprint("demo", __name__)

DEMO_CLIENT_ID = "demo"

# Minor units per market; the page's selector rewrites data-purchase-amount from these.
PRODUCT_VARIANTS = [
    {
        "id": "natural",
        "name": "Natural oak",
        "prices": {"GBP": 9900, "EUR": 11900, "SEK": 129900, "USD": 12900},
    },
    {
        "id": "smoked",
        "name": "Smoked oak",
        "prices": {"GBP": 12900, "EUR": 14900, "SEK": 159900, "USD": 15900},
    },
    {"id": "walnut", "name": "Walnut", "prices": {"GBP": 24900, "EUR": 27900, "SEK": 299900, "USD": 29900}},
    {
        "id": "cushion",
        "name": "Seat cushion only",
        "prices": {"GBP": 1900, "EUR": 2200, "SEK": 24900, "USD": 2400},
    },
]
MARKETS = [
    {"locale": "en-GB", "currency": "GBP", "label": "United Kingdom (£)"},
    {"locale": "de-DE", "currency": "EUR", "label": "Deutschland (€)"},
    {"locale": "sv-SE", "currency": "SEK", "label": "Sverige (kr)"},
    {"locale": "en-US", "currency": "USD", "label": "United States ($)"},
]


def seed_demo_merchant(store: MerchantStore, settings: Settings) -> None:
    """Store the demo merchant from its data file, admitting the demo shop's origin."""
    doc = json.loads(settings.demo_data.read_text(encoding="utf-8"))
    doc["allowed_origins"] = list(dict.fromkeys([*doc.get("allowed_origins", []), settings.demo_origin]))
    store.save(doc)


def demo_csp(public_origin: str) -> str:
    """What a merchant's own CSP needs to allow for the widget: our script and our frames."""
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' {public_origin}",
            f"frame-src {public_origin}",
            "style-src 'self'",
            "img-src 'self' data:",
            "object-src 'none'",
            "base-uri 'none'",
        ]
    )


@bp.get("/demo")
def shop() -> Any:
    """The product page. Requests on the frame origin are redirected to the demo origin."""
    settings: Settings = current_app.extensions["onsite.settings"]
    if normalize_origin(request.host_url.rstrip("/")) != settings.demo_origin:
        return redirect(f"{settings.demo_origin}/demo", code=302)
    html = render_template(
        "demo.html",
        public_origin=settings.public_origin,
        client_id=DEMO_CLIENT_ID,
        variants=PRODUCT_VARIANTS,
        markets=MARKETS,
        market=MARKETS[0],
        variant=PRODUCT_VARIANTS[0],
    )
    response = Response(html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = demo_csp(settings.public_origin)
    return response
