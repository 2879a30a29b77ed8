"""The demo shop: a merchant's product page and basket, served from a different origin than
the frames, and the seed of the demo merchant.

The catalogue and the page helpers are in ``bff.demo_shop``, the checkout and the order
confirmation page in ``bff.demo_checkout`` (imported here so that its routes join ``bp``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import secrets
import time
from typing import Any

from flask import Flask, current_app, request

from bff import demo_checkout  # noqa: F401  (its routes are on ``bp``)
from bff.demo_shop import (
    DEMO_CLIENT_ID,
    DEMO_SHOPPERS,
    MARKETS,
    PRODUCT_VARIANTS,
    bp,
    demo_csp,
    market_of,
    page,
    render_cart,
)
from bff.errors import Conflict
from bff.identity import secrets as identity_rules
from bff.identity import tokens
from bff.identity.secrets import SecretRuleError
from bff.personalization.profile import parse_profile_row
from bff.settings import Settings
from bff.store.campaigns import CampaignRepository
from bff.store.identity_secrets import IdentitySecretStore
from bff.store.merchant_config import MerchantConfigStore
from bff.store.profiles import ProfileStore

# Imported from here by the app (bp), the tests and the QA server (MARKETS, PRODUCT_VARIANTS, demo_csp).
__all__ = ["MARKETS", "PRODUCT_VARIANTS", "bp", "customer_token", "demo_csp", "seed_demo_merchant"]


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


@bp.get("/demo")
def shop() -> Any:
    """The product page. Requests on the frame origin are redirected to the demo origin."""
    shopper = request.args.get("shopper", "")
    signed_in = shopper if shopper in DEMO_SHOPPERS else None
    return page(
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
    """The basket: the chair and a cushion, with a badge for the total and the checkout form."""
    return render_cart(_market())


def _market() -> dict[str, str]:
    """The market chosen by ``?market=<locale>``; the first one by default."""
    return market_of(request.args.get("market", "")) or MARKETS[0]
