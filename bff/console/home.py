"""The console's front pages: the merchant list, a merchant's overview, a new merchant.

* ``GET /console``: an admin sees every merchant and a form to add one; a merchant admin
  goes straight to its merchant's overview.
* ``POST /console/merchants`` (admin): create a merchant from a client id and a name (the
  rest is set on its settings page); problems re-show the form with each field's message.
* ``GET /console/m/<client_id>``: the overview: where the merchant stands (origins,
  markets, placements, campaigns, identity) and the next step to take.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, redirect, render_template, request, url_for

from bff.console import bp, section
from bff.console.access import SIGN_IN, actor, form_checked, merchant_page, session
from bff.errors import Conflict, InvalidDocument, InvalidParams
from bff.merchants import admin
from bff.merchants.changes import markets_of
from bff.store.campaigns import CampaignRepository


@bp.get("")
@SIGN_IN.login_required
def index() -> Any:
    current = session()
    if current.role == "merchant_admin" and current.merchant:
        return redirect(url_for("console.overview", client_id=current.merchant))
    return render_template("console/home.html", merchants=admin.list_merchants(), form={}, problems={})


@bp.post("/merchants")
@SIGN_IN.requires("route:console.merchants.create")
@form_checked
def create_merchant() -> Any:
    form = {
        "client_id": request.form.get("client_id", "").strip(),
        "name": request.form.get("name", "").strip(),
    }
    doc = {
        "client_id": form["client_id"],
        "name": form["name"] or form["client_id"],
        "allowed_origins": [],
        "currencies": {},
        "placements": {},
    }
    try:
        admin.create(doc, actor())
    except InvalidDocument as exc:
        return _home_again(form, {p["path"].removeprefix("merchant."): p["message"] for p in exc.problems})
    except (Conflict, InvalidParams) as exc:
        return _home_again(form, {"client_id": exc.message})
    return redirect(url_for("console.overview", client_id=doc["client_id"], created=1), code=303)


def _home_again(form: dict[str, str], problems: dict[str, str]) -> Any:
    html = render_template(
        "console/home.html", merchants=admin.list_merchants(), form=form, problems=problems
    )
    return html, 400


@bp.get("/m/<client_id>")
@merchant_page()
def overview(client_id: str) -> Any:
    merchant = admin.get(client_id)
    campaigns: CampaignRepository = current_app.extensions["onsite.campaigns"]
    active = [c for c in campaigns.list(client_id) if c.get("status", "active") == "active"]
    steps = [
        ("origins", "Allow your shop's origin", bool(merchant.get("allowed_origins"))),
        (
            "markets",
            "Add the markets you sell in",
            bool(markets_of(merchant)),
        ),
        ("placements", "Name your placements", bool(merchant.get("placements"))),
        ("campaigns", "Publish a campaign", bool(active)),
    ]
    return render_template(
        "console/overview.html",
        merchant=merchant,
        section="console.overview",
        steps=steps,
        markets=markets_of(merchant),
        campaigns=active,
        created=request.args.get("created") == "1",
    )


section("console.overview", "Overview")
