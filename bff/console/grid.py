"""The locale grid: a campaign in every market of the merchant at once, before it is published.

* ``GET /console/m/<client_id>/campaigns/<campaign_id>/grid``: a stored campaign (saved as
  a draft of the signed-in user, so its frames render through the live preview's route);
* ``GET /console/m/<client_id>/preview/grid?draft=<draft id>``: the editor's unsaved draft.

Both take ``?amount=`` (minor units; default: 100.00 within the campaign's range). Each
market gets a real placement frame (the console script mounts it, as in the preview) and,
from the server, where its copy comes from and why it would show nothing
(``bff.console.preview_render.locale_report``): a translation gap shows before publishing.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, render_template, request, url_for

from bff.console import bp
from bff.console.access import merchant_page, session
from bff.console.preview import drafts, merchant_config
from bff.console.preview_render import (
    locale_report,
    merchant_markets,
    placement_key,
    preview_session_id,
)
from bff.decisions.campaign import Campaign, CampaignInvalid, parse_campaign
from bff.merchants import admin
from bff.store.campaigns import CampaignRepository

DEFAULT_AMOUNT = 10000
PLACEMENT_TYPE = "badge"


@bp.get("/m/<client_id>/campaigns/<campaign_id>/grid")
@merchant_page()
def campaign_grid(client_id: str, campaign_id: str) -> Any:
    campaigns: CampaignRepository = current_app.extensions["onsite.campaigns"]
    doc = campaigns.get(client_id, campaign_id)
    draft_id = drafts().save(session().username, client_id, doc)
    return _grid_page(client_id, draft_id, doc)


@bp.get("/m/<client_id>/preview/grid")
@merchant_page()
def draft_grid(client_id: str) -> Any:
    draft_id = request.args.get("draft", "")
    doc = drafts().load(session().username, client_id, draft_id)
    return _grid_page(client_id, draft_id, doc)


def _grid_page(client_id: str, draft_id: str, doc: dict[str, Any] | None) -> Any:
    merchant = merchant_config(client_id).merchant
    campaign = _parsed(doc)
    if campaign is None:
        html = render_template(
            "console/grid.html", merchant=admin.get(client_id), section=None, campaign=None, cells=[]
        )
        return html, 404
    amount = _amount(campaign)
    key = placement_key(merchant, PLACEMENT_TYPE)
    cells = [
        {"report": locale_report(campaign, market, PLACEMENT_TYPE, amount), "country": market.country}
        for market in merchant_markets(merchant)
    ]
    return render_template(
        "console/grid.html",
        merchant=admin.get(client_id),
        section=None,
        campaign=campaign,
        cells=cells,
        amount=amount,
        placement_key=key,
        session_id=preview_session_id("desktop", draft_id),
        frame_url=url_for("console.preview_frame", client_id=client_id, view="placement"),
    )


def _parsed(doc: dict[str, Any] | None) -> Campaign | None:
    if doc is None:
        return None
    try:
        return parse_campaign(doc)
    except CampaignInvalid:
        return None


def _amount(campaign: Campaign) -> int:
    """``?amount=`` (minor units) when it is a number, else 100.00 within the campaign's range."""
    raw = request.args.get("amount", "")
    if raw.isdigit() and len(raw) <= 12:
        return int(raw)
    return min(max(DEFAULT_AMOUNT, campaign.min_amount), campaign.max_amount)
