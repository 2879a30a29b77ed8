"""``/``: where a newcomer lands.

On the demo shop's origin, ``/`` is the shop (a redirect to ``/demo``). On any other
origin it is a small page naming what this server serves: the demo shop, the merchant
console, the monitoring dashboard, the loader and the health checks. It shows nothing
about any merchant and carries the strict default CSP (it loads nothing).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, redirect, render_template, request

from bff.origins import normalize_origin
from bff.settings import Settings

bp = Blueprint("index", __name__)


@bp.get("/")
def index() -> Any:
    """The demo shop on its origin; otherwise the list of what this server offers."""
    settings: Settings = current_app.extensions["onsite.settings"]
    if normalize_origin(request.host_url.rstrip("/")) == settings.demo_origin:
        return redirect("/demo", code=302)
    return Response(render_template("index.html", demo_origin=settings.demo_origin), mimetype="text/html")
