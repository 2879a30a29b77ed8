"""The campaign editor's live preview: the real frames, rendered from the unsaved draft.

The console page is the frames' parent, exactly as the loader is on a shop page (the
console script reuses the loader's and the RPC modules). Routes, all of one merchant and
guarded by ``merchant_page`` (the console cookie has ``Path=/console``, so the frames'
requests carry it):

* ``GET  /console/m/<client_id>/preview/setup``: JSON for the console script: the
  merchant's markets ``[{locale, currency, country}]``, the badge and strip keys, the URLs;
* ``GET  /console/m/<client_id>/preview/frame/<view>`` (``placement`` | ``interstitial``):
  the frame shell of ``bff/frames.py`` with this server's own origin as the only allowed
  parent (CSP ``frame-ancestors`` and ``X-Frame-Options: SAMEORIGIN``), renders sent to
  ``.../preview/rpc`` and events to ``.../preview/collect``;
* ``POST /console/m/<client_id>/preview/draft`` (CSRF: the ``X-CSRF-Token`` header): the
  editor form's fields, form-encoded -> ``{draft_id, problems: [{field, message}]}``. With
  problems, ``draft_id`` is null and the preview keeps showing the last valid draft;
* ``POST /console/m/<client_id>/preview/rpc``: JSON-RPC 2.0 ``placements.render`` only,
  answered from the signed-in user's draft (``bff/console/preview_render.py``); an unknown
  or expired draft renders empty with the reason ``draft_expired``. No CSRF token: the
  frame app sends none, and the call changes nothing and answers only with the caller's
  own drafts (a cross-site page cannot read the JSON, and the cookie is SameSite=Strict);
* ``POST /console/m/<client_id>/preview/collect``: the frames' events and consent
  notifications, discarded (204): previews never count as impressions.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import structlog
from flask import abort, current_app, request
from werkzeug.wrappers import Response

from bff.console import bp
from bff.console.access import form_checked, merchant_page, session
from bff.console.campaign_form import MAX_ROWS, campaign_from_form
from bff.console.campaign_problem_fields import form_field_of
from bff.console.drafts import DraftStore, DraftTooLarge
from bff.console.preview_render import merchant_markets, parse_preview_request, placement_key, render_draft
from bff.decisions.campaign import Campaign, CampaignInvalid, parse_campaign
from bff.errors import (
    INVALID_REQUEST,
    METHOD_NOT_FOUND,
    PARSE_ERROR,
    InternalError,
    InvalidParams,
    NotFound,
    RpcError,
    ServiceUnavailable,
    StoreUnavailable,
)
from bff.frames import frame_shell_html, shell_csp
from bff.merchants import admin
from bff.origins import normalize_origin
from bff.rpc.envelope import BodyInvalid, id_problem, parse_body
from bff.store import connection
from bff.store.merchant_config import MerchantConfig, MerchantConfigStore

log = structlog.get_logger(__name__)

RENDER_METHOD = "placements.render"
MAX_RPC_BYTES = 16 * 1024  # a render's params are a few hundred bytes
MAX_PROBLEMS = 50
MAX_FORM_BYTES = 256 * 1024
FRAME_VIEWS = {"placement": "frame.html", "interstitial": "interstitial.html"}


def drafts() -> DraftStore:
    """The app's draft store (made on first use: drafts are the console's own concern)."""
    found = current_app.extensions.get("onsite.drafts")
    if found is None:
        found = current_app.extensions["onsite.drafts"] = DraftStore(connection.get_redis_of(current_app))
    assert isinstance(found, DraftStore)
    return found


def merchant_config(client_id: str) -> MerchantConfig:
    """The merchant's configuration (404 when there is none)."""
    configs: MerchantConfigStore = current_app.extensions["onsite.merchants"]
    config = configs.load(client_id)
    if config is None:
        raise NotFound("This merchant has no configuration yet")
    return config


def own_origin() -> str:
    """This server's origin as the browser sees it (the console page's origin)."""
    origin = normalize_origin(request.host_url.rstrip("/"))
    if origin is None:
        abort(400)
    return origin


@bp.get("/m/<client_id>/preview/setup")
@merchant_page()
def preview_setup(client_id: str) -> Response:
    """What the preview script needs to build its controls and frames (JSON)."""
    merchant = merchant_config(client_id).merchant
    base = f"/console/m/{client_id}/preview"
    return _json(
        {
            "client_id": client_id,
            "markets": [
                {"locale": m.locale, "currency": m.currency, "country": m.country or None}
                for m in merchant_markets(merchant)
            ],
            "keys": {kind: placement_key(merchant, kind) for kind in ("badge", "strip")},
            "frame_urls": {view: f"{base}/frame/{view}" for view in FRAME_VIEWS},
            "draft_url": f"{base}/draft",
            "grid_url": f"{base}/grid",
        }
    )


@bp.get("/m/<client_id>/preview/frame/<view>")
@merchant_page()
def preview_frame(client_id: str, view: str) -> Response:
    template = FRAME_VIEWS.get(view)
    if template is None:
        abort(404)
    merchant_config(client_id)
    origin = own_origin()
    base = f"/console/m/{client_id}/preview"
    html = frame_shell_html(template, client_id, [origin], f"{base}/rpc", f"{base}/collect")
    response = current_app.make_response(html)
    # Set before the console's own policy (it uses setdefault): only the console may frame it.
    response.headers["Content-Security-Policy"] = shell_csp(template, [origin])
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


@bp.post("/m/<client_id>/preview/draft")
@merchant_page()
@form_checked
def preview_draft(client_id: str) -> Any:
    merchant_config(client_id)  # 404 before anything is read
    problems = _oversize_problems()
    if problems:
        return {"draft_id": None, "problems": problems}
    doc, form_problems = campaign_from_form(request.form, admin.get(client_id))
    problems = [{"field": field, "message": message} for field, message in form_problems.items()]
    if not problems:
        try:
            parse_campaign(doc)
        except CampaignInvalid as exc:
            problems = [
                {"field": form_field_of(p["path"]) or "form", "message": f"{p['path']}: {p['message']}"}
                for p in exc.problems
            ]
    if problems:
        return {"draft_id": None, "problems": problems[:MAX_PROBLEMS]}
    try:
        draft_id = drafts().save(session().username, client_id, doc)
    except DraftTooLarge as exc:
        return {"draft_id": None, "problems": [{"field": "form", "message": str(exc)}]}
    return {"draft_id": draft_id, "problems": []}


def _oversize_problems() -> list[dict[str, str]]:
    """What makes a posted form too big to preview (the form reads only its first rows)."""
    if (request.content_length or 0) > MAX_FORM_BYTES:
        limit = MAX_FORM_BYTES // 1024
        return [{"field": "form", "message": f"The form is over {limit} KiB: shorten the copy."}]
    problems = []
    for kind in ("options", "variants"):
        rows = {
            key.split("-")[1] for key in request.form if key.startswith(f"{kind}-") and key.count("-") >= 2
        }
        if len(rows) > MAX_ROWS:
            message = f"At most {MAX_ROWS} {kind} rows are read; this form has {len(rows)}."
            problems.append({"field": kind, "message": message})
    return problems


@bp.post("/m/<client_id>/preview/rpc")
@merchant_page()
def preview_rpc(client_id: str) -> Response:
    """One JSON-RPC 2.0 call of ``placements.render`` (no batches: a frame sends single calls)."""
    if (request.content_length or 0) > MAX_RPC_BYTES:
        return _rpc_error(None, INVALID_REQUEST, "The request is too large.", status=413)
    try:
        call = parse_body(request.get_data(cache=False))
    except BodyInvalid as exc:
        return _rpc_error(None, PARSE_ERROR, str(exc))
    if not isinstance(call, dict) or call.get("jsonrpc") != "2.0" or id_problem(call):
        return _rpc_error(None, INVALID_REQUEST, "A JSON-RPC 2.0 request object with a valid id is expected.")
    call_id = call.get("id")
    if call.get("method") != RENDER_METHOD:
        return _rpc_error(call_id, METHOD_NOT_FOUND, f"The preview serves only {RENDER_METHOD}.")
    params = call.get("params")
    try:
        if not isinstance(params, dict):
            raise InvalidParams("params", "must be an object of named params")
        result = _render(client_id, params)
    except RpcError as exc:
        return _rpc_error(call_id, exc.code, exc.message, exc.data or None)
    except StoreUnavailable:
        unavailable = ServiceUnavailable()
        return _rpc_error(call_id, unavailable.code, unavailable.message)
    except Exception as exc:  # the frame shows nothing; the log names the type only
        log.error("console.preview_failed", error=type(exc).__name__, exc_info=exc)
        internal = InternalError()
        return _rpc_error(call_id, internal.code, internal.message, internal.data)
    return _json({"jsonrpc": "2.0", "id": call_id, "result": result})


def _render(client_id: str, params: dict[str, Any]) -> dict[str, Any]:
    merchant = merchant_config(client_id).merchant
    preview = parse_preview_request(client_id, merchant, params)
    campaign = _draft_campaign(client_id, preview.draft_id)
    return render_draft(preview, campaign, merchant, dt.datetime.now(dt.UTC))


def _draft_campaign(client_id: str, draft_id: str) -> Campaign | None:
    """The signed-in user's draft for this merchant, parsed (None: unknown, expired, invalid)."""
    doc = drafts().load(session().username, client_id, draft_id)
    if doc is None:
        return None
    try:
        return parse_campaign(doc)
    except CampaignInvalid:  # validated when saved; a newer schema may refuse it
        return None


@bp.post("/m/<client_id>/preview/collect")
@merchant_page()
def preview_collect(client_id: str) -> Response:
    """The frames' events and consent notifications: discarded, so nothing counts."""
    return current_app.response_class(status=204)


def _rpc_error(call_id: Any, code: int, message: str, data: Any = None, status: int = 200) -> Response:
    error = {"code": code, "message": message} | ({"data": data} if data is not None else {})
    return _json({"jsonrpc": "2.0", "id": call_id, "error": error}, status)


def _json(body: dict[str, Any], status: int = 200) -> Response:
    return current_app.response_class(json.dumps(body), status=status, mimetype="application/json")
