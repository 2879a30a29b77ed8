"""A merchant's install page: the snippet, the CSP lines, and "check my page" (tab "Install").

* ``GET /console/m/<client_id>/install``: the script tag (``ONSITE_PUBLIC_ORIGIN`` and this
  client id), one ``<onsite-placement>`` tag per placement key (the first market's
  locale), and the directives a shop's Content-Security-Policy needs: ``script-src`` (the
  loader, and its ``/frame/check.js`` diagnosis) and ``frame-src`` (the frames). The
  loader fetches nothing itself, so no ``connect-src``.
* ``POST .../install/check``: reads the origin of a page URL and reports each thing that
  page needs (``bff.decisions.page_check``). The server never fetches the URL (a merchant
  could otherwise make it request any address: SSRF); it only compares its origin.
* ``POST .../install/allow``: add that origin to the allowed origins (a new version).
"""

from __future__ import annotations

from typing import Any

from flask import current_app, redirect, render_template, request, url_for

from bff.console import bp, section
from bff.console.access import actor, form_checked, merchant_page, session
from bff.decisions.merchant import Merchant, parse_merchant
from bff.decisions.merchant_origins import origin_from_input, origin_of_page
from bff.decisions.page_check import Check, page_checks
from bff.merchants import admin
from bff.merchants.changes import MERCHANT_ADMIN_FIELDS
from bff.settings import Settings
from bff.store.campaigns import CampaignRepository
from bff.store.merchant_documents import content_of

SAMPLE_AMOUNT = 9900  # minor units: 99.00 in the page's currency
DEFAULT_LOCALE = "en-GB"
MAX_URL_CHARS = 2048


@bp.get("/m/<client_id>/install")
@merchant_page()
def install(client_id: str) -> Any:
    allowed = request.args.get("allowed", "")
    notice = f"{allowed} is now an allowed origin." if allowed.startswith(("https://", "http://")) else None
    return _page(admin.get(client_id), notice=notice)


@bp.post("/m/<client_id>/install/check")
@merchant_page()
@form_checked
def check_page(client_id: str) -> Any:
    merchant = admin.get(client_id)
    url = request.form.get("url", "").strip()
    if len(url) > MAX_URL_CHARS:
        return _page(merchant, url=url[:MAX_URL_CHARS], problem=f"At most {MAX_URL_CHARS} characters.")
    try:
        origin = origin_of_page(url)
    except ValueError as exc:
        return _page(merchant, url=url, problem=str(exc)[:200])
    live = len(_campaigns().list(client_id, status="active"))
    checks = page_checks(_parsed(merchant), origin, live)
    return _page(merchant, url=url, origin=origin, checks=checks)


@bp.post("/m/<client_id>/install/allow")
@merchant_page()
@form_checked
def allow_origin(client_id: str) -> Any:
    merchant = admin.get(client_id)
    try:
        origin = origin_from_input(request.form.get("origin", "")[:MAX_URL_CHARS])
    except ValueError as exc:
        return _page(merchant, problem=str(exc)[:200])
    origins = list(merchant.get("allowed_origins", []))
    if origin not in origins:
        fields = None if session().role == "admin" else MERCHANT_ADMIN_FIELDS
        changes = {"allowed_origins": [*origins, origin]}
        admin.update(client_id, merchant["version"], changes, actor(), fields)
    return redirect(url_for("console.install", client_id=client_id, allowed=origin), code=303)


def snippet(public_origin: str, merchant: dict[str, Any]) -> dict[str, str]:
    """The script tag, the placement tags and the CSP directives for ``merchant``'s pages."""
    markets, currencies = merchant.get("markets") or [], merchant.get("currencies") or {}
    if markets:
        locale = markets[0]["locale"]
    else:  # the older form: en-GB when it sells there, else the first locale by name
        locale = DEFAULT_LOCALE if DEFAULT_LOCALE in currencies or not currencies else min(currencies)
    script = (
        f'<script async src="{public_origin}/onsite.js" data-client-id="{merchant["client_id"]}"></script>'
    )
    tags = [
        f'<onsite-placement data-key="{key}" data-purchase-amount="{SAMPLE_AMOUNT}" data-locale="{locale}">'
        "</onsite-placement>"
        for key in merchant.get("placements") or {}
    ]
    csp = f"script-src 'self' {public_origin}; frame-src {public_origin}"
    return {"script": script, "placements": "\n".join(tags), "csp": csp}


def _page(
    merchant: dict[str, Any],
    *,
    url: str = "",
    origin: str | None = None,
    checks: list[Check] | None = None,
    problem: str | None = None,
    notice: str | None = None,
) -> Any:
    settings: Settings = current_app.extensions["onsite.settings"]
    html = render_template(
        "console/install.html",
        merchant=merchant,
        section="console.install",
        snippet=snippet(settings.public_origin, merchant),
        public_origin=settings.public_origin,
        url=url,
        origin=origin,
        checks=checks,
        problem=problem,
        notice=notice,
    )
    return html, 400 if problem else 200


def _parsed(merchant: dict[str, Any]) -> Merchant:
    return parse_merchant(content_of(merchant), stored=True)


def _campaigns() -> CampaignRepository:
    found: CampaignRepository = current_app.extensions["onsite.campaigns"]
    return found


section("console.install", "Install")
