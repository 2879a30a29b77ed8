"""The frame surface: the loader script and the frame shells embedded by merchant pages."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from flask import Blueprint, abort, current_app, render_template, request, send_from_directory
from markupsafe import Markup
from werkzeug.wrappers import Response

from bff.assets import STATIC_DIR, inline_asset, manifest, max_age_for
from bff.decisions.merchant import Merchant
from bff.decisions.page_check import frame_cause
from bff.errors import ConfigError, StoreUnavailable
from bff.first_render import first_render
from bff.origins import normalize_origin, origin_of_url
from bff.patterns import IDENTIFIER
from bff.rpc.endpoint import COLLECT_PATH, RPC_PATH
from bff.rpc.placements import renderer
from bff.security_headers import csp_hash, frame_csp
from bff.store.merchant_config import MerchantConfigStore

bp = Blueprint("frames", __name__)

FRAME_MAX_AGE_S = 300
RENDER_PARAM = "render"  # the first render's params, as JSON (bff/first_render.py)


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

    Only the merchant's allowed origins may embed it (CSP ``frame-ancestors``); the
    allow-list is also given to the frame app, which checks the parent's origin itself.
    Its stylesheet is inline (no request before the first paint), and its CSP allows that
    style and one inline script, the boot script, by their hashes (``shell_csp``).

    Without ``render`` in the query: the same for every shopper, cacheable, with an ETag.
    With ``render`` (the first render's params as JSON, bff/first_render.py): the shell
    carries that render and the boot script that shows it, or no render when it is
    refused. Either way the URL holds a visit id and an amount, so the response is
    ``private, no-store`` and ``Referrer-Policy: strict-origin`` keeps the query out of
    every Referer, our own origin's included (``no-referrer`` would make the frame's
    same-origin POSTs send ``Origin: null``).
    """
    client_id, merchant = _shell_merchant()
    raw = request.args.get(RENDER_PARAM)
    if raw is None:
        csp = shell_csp("frame.html", merchant.allowed_origins, logo_origins(merchant))
        return _public_shell(_shell_html("frame.html", client_id, merchant), csp)
    html, headers = first_render_shell(client_id, merchant, raw, request.headers.get("User-Agent", ""))
    response = current_app.make_response(html)
    response.headers.extend(headers)
    return response


def first_render_shell(
    client_id: str, merchant: Merchant, raw: str, user_agent: str
) -> tuple[str, list[tuple[str, str]]]:
    """The HTML and the own headers of a placement shell asked for its first render (``raw``,
    the ``render`` query value), with or without that render (refused). Needs an app context.

    The view above and the lean dispatch in front of Flask (``bff/lean_shell.py``) both
    answer with it, so their answers are the same bytes.
    """
    found = first_render(raw, client_id, renderer(), user_agent)
    html = _shell_html("frame.html", client_id, merchant, found)
    csp = shell_csp("frame.html", merchant.allowed_origins, logo_origins(merchant))
    return html, [
        ("Content-Security-Policy", csp),
        ("Referrer-Policy", "strict-origin"),
        ("Cache-Control", "private, no-store"),
    ]


@bp.get("/frame/interstitial")
def interstitial_frame() -> Response:
    """The frame shell of the interstitial dialog, opened by the loader as a full-viewport overlay.

    Same frame app, CSP (without inline code) and caching as the placement shell without
    ``render``; its own stylesheet, linked.
    """
    client_id, merchant = _shell_merchant()
    html = _shell_html("interstitial.html", client_id, merchant)
    return _public_shell(
        html, shell_csp("interstitial.html", merchant.allowed_origins, logo_origins(merchant))
    )


def logo_origins(merchant: Merchant) -> tuple[str, ...]:
    """The origin of the merchant's logo, which the frames' CSP lets images come from."""
    logo = merchant.brand.logo_url if merchant.brand else None
    origin = origin_of_url(logo) if logo else None
    return (origin,) if origin else ()


def built_text(name: str) -> str:
    """The exact text of a built file the placement shell inlines (``boot.js``, ``frame.css``)."""
    return inline_asset(_built_file(name))


def built_hash(name: str) -> str:
    """``csp_hash`` of ``built_text(name)``, computed once per built file (every shell needs it)."""
    return _hash_of_built(_built_file(name))


@lru_cache(maxsize=8)
def _hash_of_built(file_name: str) -> str:
    return csp_hash(inline_asset(file_name))


def _built_file(name: str) -> str:
    file_name = manifest().get(name)
    if file_name is None:
        raise ConfigError(f"static/manifest.json names no {name}: run 'npm run build'")
    return file_name


def shell_csp(template: str, ancestors: Iterable[str], image_origins: Iterable[str] = ()) -> str:
    """The CSP of a frame shell: ``frame.html`` may use its inline stylesheet and boot script
    (by their hashes, ``frame_shell_html`` inlines them); ``interstitial.html`` no inline code."""
    if template != "frame.html":
        return frame_csp(ancestors, image_origins)
    scripts, styles = [built_hash("boot.js")], [built_hash("frame.css")]
    return frame_csp(ancestors, image_origins, script_hashes=scripts, style_hashes=styles)


def _shell_merchant() -> tuple[str, Merchant]:
    """The query's client id and its merchant; 404 for an unknown or disabled one, 503 when
    the store is down (and the merchant not cached)."""
    client_id = request.args.get("client_id", "")
    if not IDENTIFIER.match(client_id):
        abort(404)
    store: MerchantConfigStore = current_app.extensions["onsite.merchants"]
    try:
        # As renders do: the cached configuration while its version is known current
        # (pushed, within the stated staleness), else read. A shell is fetched per visit now.
        fresh = store.fresh(client_id)
        merchant = fresh.merchant if fresh is not None else store.get(client_id)
    except StoreUnavailable:
        abort(503)
    if merchant is None or merchant.disabled:  # a disabled merchant looks unknown, as in renders
        abort(404)
    return client_id, merchant


def _shell_html(
    template: str,
    client_id: str,
    merchant: Merchant,
    found: dict[str, Any] | None = None,
) -> str:
    origins = list(merchant.allowed_origins)
    return frame_shell_html(template, client_id, origins, RPC_PATH, COLLECT_PATH, found)


def _public_shell(html: str, csp: str) -> Response:
    response = current_app.make_response(html)
    response.headers["Content-Security-Policy"] = csp
    response.cache_control.public = True
    response.cache_control.max_age = FRAME_MAX_AGE_S
    response.add_etag()
    return response.make_conditional(request)


def frame_shell_html(
    template: str,
    client_id: str,
    allowed_origins: list[str],
    rpc_url: str,
    collect_url: str,
    first_render: dict[str, Any] | None = None,
) -> str:
    """A frame shell (``frame.html`` or ``interstitial.html``) with its assets; also the
    console's live preview (bff/console/preview.py), which serves it to its own origin.
    Serve it with ``shell_csp(template, ...)``.

    ``frame.html`` inlines its stylesheet and its boot script, and embeds ``first_render``
    (as JSON) when given; both files are our own builds, inlined unescaped
    (``inline_asset`` checked them).
    """
    assets = manifest()
    inline = template == "frame.html"
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
        first_render=first_render,
        frame_css_text=Markup(built_text("frame.css")) if inline else None,  # noqa: S704 - our built file
        boot_js=Markup(built_text("boot.js")) if inline else None,  # noqa: S704 - ours
    )
