"""The merchant console: ``/console``, server-rendered pages for ``admin`` and ``merchant_admin``.

Forms work without JavaScript (progressive enhancement: the console script only adds the
live preview). Every POST carries the session's CSRF token; every page is sent with a
strict CSP (no inline script or style, frames only from this origin), ``no-store`` and
``frame-ancestors 'none'``. The pages, by concept:

* ``home.py``: the merchant list (admin), a merchant's overview, a new merchant;
* ``results.py``: the merchant's funnel, orders and experiments, and their CSV export;
* ``settings.py`` (name, origins, markets, placements, brand, history, state), ``keys.py``
  (API keys, identity secrets), ``install.py`` (snippet, CSP, "check my page"),
  ``users.py`` (a merchant's users; admins only);
* the campaign and preview pages register themselves here too (``PAGE_MODULES``).
"""

from __future__ import annotations

import importlib
from typing import Any

from flask import Blueprint, Flask, Response, current_app, render_template
from werkzeug.exceptions import HTTPException

from bff.auth.roles import allowed
from bff.console.access import SIGN_IN, console_assets
from bff.errors import NotFound, RpcError, StoreCorrupt, StoreUnavailable

bp = Blueprint("console", __name__, url_prefix="/console")
SIGN_IN.add_routes(bp)

CONSOLE_CSP = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: https:",  # merchants' logo URLs are https
        "connect-src 'self'",
        "font-src 'self'",
        "frame-src 'self'",  # the live preview's frames
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


# The tabs of a merchant's pages, in order: (endpoint, label); a page module adds its own.
SECTIONS: list[tuple[str, str]] = []
# The policy resource a tab needs when it is not route:console.merchant (e.g. users: admins).
SECTION_RESOURCES: dict[str, str] = {}


def section(endpoint: str, label: str, resource: str | None = None) -> None:
    """Add a tab to a merchant's pages (called once by the page module that serves it);
    with ``resource``, only users whose role has it see the tab."""
    if (endpoint, label) not in SECTIONS:
        SECTIONS.append((endpoint, label))
    if resource is not None:
        SECTION_RESOURCES[endpoint] = resource


# The page modules; each registers its routes on ``bp`` and its tab, in this order, on import.
PAGE_MODULES = ("home", "results", "campaigns", "preview", "grid", "settings", "keys", "install", "users")


def init_app(app: Flask) -> None:
    """Mount the console (its pages import here so each registers its routes on ``bp``)."""
    for name in PAGE_MODULES:
        importlib.import_module(f"bff.console.{name}")

    app.register_blueprint(bp)


@bp.context_processor
def console_context() -> dict[str, Any]:
    """What every console page's base needs: assets, the user, the CSRF token, the tabs."""
    try:
        signed_in = SIGN_IN.current_session()
    except StoreUnavailable:
        signed_in = None
    role = signed_in.role if signed_in else None
    sections = [
        (endpoint, label)
        for endpoint, label in SECTIONS
        if endpoint in current_app.view_functions
        and (endpoint not in SECTION_RESOURCES or allowed(role, SECTION_RESOURCES[endpoint]))
    ]
    return {
        **console_assets(),
        "signed_in": signed_in,
        "csrf_token": SIGN_IN.csrf_token(),
        "console_sections": sections,
    }


@bp.after_request
def console_headers(response: Response) -> Response:
    # A view that frames itself (the preview's frame shells) sets its own policy first.
    response.headers.setdefault("Content-Security-Policy", CONSOLE_CSP)
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.errorhandler(HTTPException)
def console_error(exc: HTTPException) -> Any:
    """Errors as a console page: the status, and a sentence a person understands."""
    html = render_template("console/error.html", status=exc.code, title=exc.name, message=exc.description)
    return html, exc.code or 500


@bp.errorhandler(NotFound)
def console_not_found(exc: NotFound) -> Any:
    """An unknown merchant, campaign or version: the same 404 as a merchant out of scope."""
    html = render_template("console/error.html", status=404, title="Not Found", message=exc.message)
    return html, 404


@bp.errorhandler(StoreUnavailable)
def console_unavailable(exc: StoreUnavailable) -> Any:
    message = "The console's store is unreachable right now; nothing was changed. Try again shortly."
    return render_template("console/error.html", status=503, title="Unavailable", message=message), 503


@bp.errorhandler(StoreCorrupt)
def console_store_corrupt(exc: StoreCorrupt) -> Any:
    """A retry will not mend this one: say who can."""
    message = (
        "Stored data this page needs cannot be read back (it was changed outside the app); "
        "nothing was changed. An operator can find the key in the server log (store.corrupt)."
    )
    return render_template("console/error.html", status=503, title="Unavailable", message=message), 503


@bp.errorhandler(RpcError)
def console_refused(exc: RpcError) -> Any:
    """A refusal a page did not turn into a form message: show the sentence, change nothing."""
    return render_template("console/error.html", status=400, title="Not done", message=exc.message), 400
