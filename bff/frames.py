"""The frame surface: the loader script and the frame shells embedded by merchant pages."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request, send_from_directory
from werkzeug.wrappers import Response

from bff.assets import STATIC_DIR, manifest, max_age_for
from bff.decisions.merchant import Merchant
from bff.decisions.page_check import frame_cause
from bff.errors import StoreUnavailable
from bff.origins import normalize_origin, origin_of_url
from bff.patterns import IDENTIFIER
from bff.rpc.endpoint import COLLECT_PATH, RPC_PATH
from bff.security_headers import frame_csp
from bff.store.merchant_config import MerchantConfigStore

bp = Blueprint("frames", __name__)

FRAME_MAX_AGE_S = 300


@bp.get("/onsite.js")
def loader() -> Response:
    """The loader merchants paste; a stable URL with a short cache lifetime."""
    return send_from_directory(STATIC_DIR, "onsite.js", max_age=max_age_for("onsite.js"))


@bp.get("/onsite-debug.js")
def debug_overlay() -> Response:
    """The debug overlay the loader adds only when the page URL has ``onsite-debug=1``."""
    return send_from_directory(STATIC_DIR, "onsite-debug.js", max_age=max_age_for("onsite-debug.js"))


@bp.get("/frame/check.js")
def frame_check() -> Response:
    """Why a merchant page's frames would not load, for the loader's warning.

    ``?client_id=X&origin=O``. A script, not JSON: merchant CSPs allow this origin in
    ``script-src`` (for the loader) but need not in ``connect-src``. It marks the script
    element that loaded it with ``data-onsite-cause``: ``ok``, ``unknown_client`` or
    ``origin_not_allowed``; 503 when the store is down. It reveals no more than the shell's
    ``frame-ancestors`` header already does for a public client id. The loader asks only
    when a frame has not said hello in time.
    """
    client_id = request.args.get("client_id", "")
    origin = normalize_origin(request.args.get("origin", ""))
    store: MerchantConfigStore = current_app.extensions["onsite.merchants"]
    try:
        merchant = store.get(client_id) if IDENTIFIER.match(client_id) else None
    except StoreUnavailable:
        abort(503)
    cause = frame_cause(merchant, origin)
    script = f'document.currentScript&&document.currentScript.setAttribute("data-onsite-cause","{cause}");\n'
    response = current_app.response_class(script, mimetype="text/javascript")
    response.cache_control.no_store = True
    return response


@bp.get("/frame/placement")
def placement_frame() -> Response:
    """The frame shell of a merchant's placements (badge, strip).

    The same for every shopper, cacheable, with an ETag. Only the merchant's allowed
    origins may embed it (CSP ``frame-ancestors``); the allow-list is also given to the
    frame app, which checks the parent's origin itself.
    """
    return _frame_shell("frame.html")


@bp.get("/frame/interstitial")
def interstitial_frame() -> Response:
    """The frame shell of the interstitial dialog, opened by the loader as a full-viewport overlay.

    Same frame app, same CSP and caching as the placement shell; its own styles.
    """
    return _frame_shell("interstitial.html")


def logo_origins(merchant: Merchant) -> tuple[str, ...]:
    """The origin of the merchant's logo, which the frames' CSP lets images come from."""
    logo = merchant.brand.logo_url if merchant.brand else None
    origin = origin_of_url(logo) if logo else None
    return (origin,) if origin else ()


def _frame_shell(template: str) -> Response:
    client_id = request.args.get("client_id", "")
    if not IDENTIFIER.match(client_id):
        abort(404)
    store: MerchantConfigStore = current_app.extensions["onsite.merchants"]
    try:
        merchant = store.get(client_id)
    except StoreUnavailable:
        abort(503)
    if merchant is None or merchant.disabled:  # a disabled merchant looks unknown, as in renders
        abort(404)
    html = frame_shell_html(template, client_id, list(merchant.allowed_origins), RPC_PATH, COLLECT_PATH)
    response = current_app.make_response(html)
    response.headers["Content-Security-Policy"] = frame_csp(merchant.allowed_origins, logo_origins(merchant))
    response.cache_control.public = True
    response.cache_control.max_age = FRAME_MAX_AGE_S
    response.add_etag()
    return response.make_conditional(request)


def frame_shell_html(
    template: str, client_id: str, allowed_origins: list[str], rpc_url: str, collect_url: str
) -> str:
    """A frame shell (``frame.html`` or ``interstitial.html``) with its assets; also the
    console's live preview (bff/console/preview.py), which serves it to its own origin."""
    assets = manifest()
    return render_template(
        template,
        frame_js=f"/static/{assets['frame.js']}",
        frame_css=f"/static/{assets['frame.css']}",
        interstitial_css=f"/static/{assets['interstitial.css']}",
        font_url=f"/static/{assets['inter-latin.woff2']}",
        allowed_origins=allowed_origins,
        rpc_url=rpc_url,
        collect_url=collect_url,
        client_id=client_id,
    )
