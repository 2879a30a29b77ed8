"""The demo shop's catalogue and pages: what the merchant sells, in which markets, and how
its pages are served (on the demo origin, with the CSP a merchant would send).

Shared by the product and basket pages (``bff.demo``) and the checkout
(``bff.demo_checkout``); ``bp`` is the blueprint of all three.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, redirect, render_template, request

from bff.origins import normalize_origin
from bff.personalization.money import format_money
from bff.settings import Settings

bp = Blueprint("demo", __name__)

DEMO_CLIENT_ID = "demo"

# Minor units per market; the page's selector rewrites data-purchase-amount from these.
PRODUCT_VARIANTS = [
    {
        "id": "natural",
        "name": "Natural oak",
        "prices": {
            "GBP": 9900,
            "EUR": 11900,
            "SEK": 129900,
            "USD": 12900,
            "DKK": 89900,
            "NOK": 139900,
            "PLN": 49900,
        },
    },
    {
        "id": "smoked",
        "name": "Smoked oak",
        "prices": {
            "GBP": 12900,
            "EUR": 14900,
            "SEK": 159900,
            "USD": 15900,
            "DKK": 109900,
            "NOK": 169900,
            "PLN": 62900,
        },
    },
    {
        "id": "walnut",
        "name": "Walnut",
        "prices": {
            "GBP": 24900,
            "EUR": 27900,
            "SEK": 299900,
            "USD": 29900,
            "DKK": 209900,
            "NOK": 319900,
            "PLN": 119900,
        },
    },
    {
        "id": "cushion",
        "name": "Seat cushion only",
        "prices": {
            "GBP": 1900,
            "EUR": 2200,
            "SEK": 24900,
            "USD": 2400,
            "DKK": 16900,
            "NOK": 24900,
            "PLN": 9900,
        },
    },
]
# What the basket holds: the chair in natural oak and a seat cushion.
BASKET = (PRODUCT_VARIANTS[0], PRODUCT_VARIANTS[3])
# The checkout's payment methods (the ids reported with the order), with their labels.
PAYMENT_METHODS = {"pay_in_4": "Pay in 4", "pay_in_30": "Pay in 30 days", "card": "Card"}
# Demo shoppers one can "sign in" as with ?shopper=<ref> (profiles in data/demo_profiles.jsonl).
DEMO_SHOPPERS = {"demo-anna": "Anna", "demo-lars": "Lars"}
MARKETS = [
    {"locale": "en-GB", "currency": "GBP", "label": "United Kingdom (£)"},
    {"locale": "de-DE", "currency": "EUR", "label": "Deutschland (€)"},
    {"locale": "sv-SE", "currency": "SEK", "label": "Sverige (kr)"},
    {"locale": "en-US", "currency": "USD", "label": "United States ($)"},
    # Added for issue 14. Labels stay no wider than "United Kingdom (£)": the select is as
    # wide as its widest option, and the page's visual baselines must not move.
    {"locale": "fr-FR", "currency": "EUR", "label": "France (€)"},
    {"locale": "nl-NL", "currency": "EUR", "label": "Nederland (€)"},
    {"locale": "es-ES", "currency": "EUR", "label": "España (€)"},
    {"locale": "it-IT", "currency": "EUR", "label": "Italia (€)"},
    {"locale": "da-DK", "currency": "DKK", "label": "Danmark (kr.)"},
    {"locale": "nb-NO", "currency": "NOK", "label": "Norge (kr)"},
    {"locale": "pl-PL", "currency": "PLN", "label": "Polska (zł)"},
]


def demo_csp(public_origin: str) -> str:
    """What a merchant's own CSP needs to allow for the widget: our script and our frames."""
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' {public_origin}",
            f"frame-src {public_origin}",
            # Onsite.push(['order', ...]) on a confirmation page posts to us (docs/attribution.md).
            f"connect-src 'self' {public_origin}",
            "style-src 'self'",
            "img-src 'self' data:",
            "object-src 'none'",
            "base-uri 'none'",
        ]
    )


def market_of(locale: str) -> dict[str, str] | None:
    """The market of ``locale``, or None when the shop does not sell there."""
    return next((m for m in MARKETS if m["locale"] == locale), None)


def page(template: str, status: int = 200, **context: Any) -> Any:
    """Render a demo page on the demo origin, with the CSP a merchant would send; a request
    on another origin is redirected to the demo origin."""
    settings: Settings = current_app.extensions["onsite.settings"]
    if normalize_origin(request.host_url.rstrip("/")) != settings.demo_origin:
        return redirect(f"{settings.demo_origin}{request.full_path.rstrip('?')}", code=302)
    html = render_template(
        template, public_origin=settings.public_origin, client_id=DEMO_CLIENT_ID, **context
    )
    response = Response(html, status=status, mimetype="text/html")
    response.headers["Content-Security-Policy"] = demo_csp(settings.public_origin)
    return response


def basket_total(currency: str) -> int:
    """The basket's total in minor units of ``currency``: what the checkout charges (never an
    amount the browser sends)."""
    prices: list[dict[str, int]] = [v["prices"] for v in BASKET]  # type: ignore[misc]
    return sum(p[currency] for p in prices)


def render_cart(market: dict[str, str], error: str | None = None, status: int = 200) -> Any:
    """The basket page for ``market``, with ``error`` (a refused checkout) above the form."""
    currency, locale = market["currency"], market["locale"]
    lines = [
        {"name": v["name"], "price": format_money(v["prices"][currency], currency, locale)}  # type: ignore[index]
        for v in BASKET
    ]
    total = basket_total(currency)
    return page(
        "demo_cart.html",
        status,
        market=market,
        lines=lines,
        total=total,
        total_formatted=format_money(total, currency, locale),
        payment_methods=PAYMENT_METHODS,
        error=error,
    )
