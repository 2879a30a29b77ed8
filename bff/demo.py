"""The demo shop: a merchant's product page, served from a different origin than the frames."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import secrets
import time
from typing import Any

from flask import Blueprint, Flask, Response, current_app, redirect, render_template, request

from bff.errors import Conflict
from bff.identity import secrets as identity_rules
from bff.identity import tokens
from bff.identity.secrets import SecretRuleError
from bff.origins import normalize_origin
from bff.personalization.money import format_money
from bff.personalization.profile import parse_profile_row
from bff.settings import Settings
from bff.store.campaigns import CampaignRepository
from bff.store.identity_secrets import IdentitySecretStore
from bff.store.merchant_config import MerchantConfigStore
from bff.store.profiles import ProfileStore

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


def seed_demo_merchant(app: Flask, settings: Settings) -> None:
    """Store the demo merchant and its campaigns from the data files, admitting the demo origin.

    Campaigns already stored are left alone, so edits made through the admin RPC survive
    a restart; only missing ones are created.
    """
    configs: MerchantConfigStore = app.extensions["onsite.merchants"]
    campaigns: CampaignRepository = app.extensions["onsite.campaigns"]
    doc = json.loads(settings.demo_data.read_text(encoding="utf-8"))
    doc["allowed_origins"] = list(dict.fromkeys([*doc.get("allowed_origins", []), settings.demo_origin]))
    configs.save_merchant(doc)
    existing = {c["id"] for c in campaigns.list(DEMO_CLIENT_ID)}
    for campaign in json.loads(settings.demo_campaigns.read_text(encoding="utf-8")):
        if campaign["id"] not in existing:
            # Several workers may seed at once: whoever creates it first wins.
            with contextlib.suppress(Conflict):
                campaigns.create(DEMO_CLIENT_ID, campaign)
    data = settings.demo_data.parent
    configs.save_catalogue(
        DEMO_CLIENT_ID, json.loads((data / "demo_catalogue.json").read_text(encoding="utf-8"))
    )
    configs.save_delivery(
        DEMO_CLIENT_ID, json.loads((data / "demo_delivery.json").read_text(encoding="utf-8"))
    )
    ensure_identity_secret(app, DEMO_CLIENT_ID)
    profiles: ProfileStore = app.extensions["onsite.profiles"]
    rows = (
        json.loads(line) for line in (data / "demo_profiles.jsonl").read_text(encoding="utf-8").splitlines()
    )
    profiles.save_many(
        DEMO_CLIENT_ID, [p for p, _ in (parse_profile_row(r, dt.date.today()) for r in rows) if p]
    )


def ensure_identity_secret(app: Flask, client_id: str) -> None:
    """Give the merchant an identity secret unless it has an active one (the demo shop signs
    its shoppers' tokens with it, as a merchant's server would)."""
    store: IdentitySecretStore = app.extensions["onsite.identity_secrets"]
    if not any(r.active for r in store.list(client_id)):
        now = dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")
        # Several workers may seed at once: a second secret is refused, which is fine.
        with contextlib.suppress(SecretRuleError):
            store.change(client_id, lambda records: identity_rules.create(records, secrets.token_hex(6), now))


def customer_token(
    app: Flask, client_id: str, customer_ref: str, ttl_s: int = 3600, now_s: int | None = None
) -> str:
    """What the merchant's server does for a signed-in shopper: sign a short-lived token
    with its newest identity secret (see docs/identity.md for the merchant's own code)."""
    store: IdentitySecretStore = app.extensions["onsite.identity_secrets"]
    newest = identity_rules.active(store.list(client_id))[0]
    secret = app.extensions["onsite.identity"].secret(client_id, newest.id)
    issued = int(time.time()) if now_s is None else now_s
    return tokens.sign(secret, client_id, customer_ref, issued, ttl_s, newest.id)


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


def _market() -> dict[str, str]:
    """The market chosen by ``?market=<locale>``; the first one by default."""
    wanted = request.args.get("market", "")
    return next((m for m in MARKETS if m["locale"] == wanted), MARKETS[0])


def _page(template: str, **context: Any) -> Any:
    """Render a demo page on the demo origin, with the CSP a merchant would send."""
    settings: Settings = current_app.extensions["onsite.settings"]
    if normalize_origin(request.host_url.rstrip("/")) != settings.demo_origin:
        return redirect(f"{settings.demo_origin}{request.full_path.rstrip('?')}", code=302)
    html = render_template(
        template, public_origin=settings.public_origin, client_id=DEMO_CLIENT_ID, **context
    )
    response = Response(html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = demo_csp(settings.public_origin)
    return response


@bp.get("/demo")
def shop() -> Any:
    """The product page. Requests on the frame origin are redirected to the demo origin."""
    shopper = request.args.get("shopper", "")
    signed_in = shopper if shopper in DEMO_SHOPPERS else None
    return _page(
        "demo.html",
        variants=PRODUCT_VARIANTS,
        markets=MARKETS,
        market=_market(),
        variant=PRODUCT_VARIANTS[0],
        shopper_name=DEMO_SHOPPERS.get(shopper),
        customer_token=customer_token(current_app, DEMO_CLIENT_ID, signed_in) if signed_in else None,
    )


@bp.get("/demo/cart")
def cart() -> Any:
    """The basket: the chair and a cushion, with a badge for the total."""
    market = _market()
    currency, locale = market["currency"], market["locale"]
    lines = [
        {"name": v["name"], "price": format_money(v["prices"][currency], currency, locale)}  # type: ignore[index]
        for v in (PRODUCT_VARIANTS[0], PRODUCT_VARIANTS[3])
    ]
    total = sum(v["prices"][currency] for v in (PRODUCT_VARIANTS[0], PRODUCT_VARIANTS[3]))  # type: ignore[index]
    return _page(
        "demo_cart.html",
        market=market,
        lines=lines,
        total=total,
        total_formatted=format_money(total, currency, locale),
    )
