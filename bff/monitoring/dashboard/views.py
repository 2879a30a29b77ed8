"""The monitoring dashboard: ``/monitoring`` behind a password login, its JSON API, alert charts.

* ``GET/POST /monitoring/login``, ``POST /monitoring/logout``: a user's password
  (Argon2id) plus a TOTP code (``bff.auth.users``), sessions kept in Redis behind a
  token cookie, account lockout, CSRF tokens: ``dashboard_login.py``. The role decides
  what the session may do (``bff.auth.roles``: admin and analyst read, only admin
  acknowledges).
* ``GET /monitoring``: the page; the script (``static/dashboard-<hash>.js``, uPlot inside)
  reads the JSON API: ``api/overview``, ``api/series``, ``api/breakdown``, ``api/alerts``,
  and ``POST api/alerts/<id>/ack`` (with the ``X-CSRF-Token`` of the page).
* ``GET /monitoring/charts/<alert id>.png``: the alert's chart, without login, because
  Slack fetches it; the 128-bit random alert id makes the URL a capability.

Every page is sent with a strict CSP (no inline script or style), ``no-store`` and
``frame-ancestors 'none'``. API errors are JSON ``{"error": ...}`` with a 4xx status.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    jsonify,
    render_template,
    request,
)

from bff.errors import StoreUnavailable
from bff.monitoring.alerts.store import AlertStore
from bff.monitoring.dashboard import queries
from bff.monitoring.dashboard.chart import render_chart
from bff.monitoring.dashboard.login import (
    add_login_routes,
    audit_user,
    csrf_ok,
    csrf_token,
    current_session,
    dashboard_assets,
    login_required,
    requires,
)
from bff.monitoring.dimensions import GLOBAL, parse_combo
from bff.monitoring.metrics import LABELS, RATES
from bff.monitoring.rollups.aggregation import MINUTE_MS
from bff.monitoring.rollups.store import RollupStore
from bff.store.connection import get_redis

bp = Blueprint("monitoring", __name__, url_prefix="/monitoring")
add_login_routes(bp)

CHART_MINUTES = 90
DASHBOARD_CSP = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def init_app(app: Flask) -> None:
    """Mount the blueprint (its sessions live in Redis: no Flask secret key, no cookie session)."""
    app.register_blueprint(bp)


@bp.after_request
def dashboard_headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = DASHBOARD_CSP
    response.headers["X-Frame-Options"] = "DENY"
    if not request.path.startswith("/monitoring/charts/"):
        response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("")
@login_required
def index() -> Any:
    return render_template("monitoring/dashboard.html", csrf_token=csrf_token(), **dashboard_assets())


@bp.get("/api/overview")
@login_required
def api_overview() -> Any:
    return _json(lambda: queries.overview(_rollups(), _alerts(), _now_ms()))


@bp.get("/api/series")
@login_required
def api_series() -> Any:
    combo = request.args.get("combo", GLOBAL)
    metric = request.args.get("metric", "impression")
    if not _valid_combo(combo) or not queries.is_known_metric(metric):
        return jsonify(error="unknown combo or metric"), 400
    return _json(lambda: queries.series(_rollups(), combo, metric, _now_ms()))


@bp.get("/api/breakdown")
@login_required
def api_breakdown() -> Any:
    parent = request.args.get("combo", GLOBAL)
    dimension = request.args.get("dimension", "merchant")
    if (
        not _valid_combo(parent)
        or not queries.is_known_dimension(dimension)
        or dimension in parse_combo(parent)
    ):
        return jsonify(error="unknown combo or dimension"), 400
    return _json(lambda: queries.breakdown(_rollups(), parent, dimension, _now_ms()))


@bp.get("/api/alerts")
@login_required
def api_alerts() -> Any:
    return _json(lambda: {"alerts": _alerts().recent(100)})


@bp.post("/api/alerts/<alert_id>/ack")
@requires("route:monitoring.acknowledge")
def api_acknowledge(alert_id: str) -> Any:
    if not csrf_ok(request.headers.get("X-CSRF-Token")):
        return jsonify(error="missing or wrong X-CSRF-Token"), 403
    if not _is_alert_id(alert_id):
        return jsonify(error="no such alert"), 404
    session = current_session()
    if session is None:  # not reached: login_required let only a live session through
        abort(401)
    user = session.username
    alert = _json_value(lambda: _alerts().acknowledge(alert_id, user, _now_ms()))
    audit_user("alert.acknowledge", user, {"alert_id": alert_id})
    if isinstance(alert, Response):
        return alert
    return (jsonify(alert=alert), 200) if alert else (jsonify(error="no such alert"), 404)


@bp.get("/charts/<alert_id>.png")
def alert_chart(alert_id: str) -> Any:
    if not _is_alert_id(alert_id):
        abort(404)
    try:
        alert = _alerts().get(alert_id)
        if alert is None:
            abort(404)
        png = _chart_png(alert)
    except StoreUnavailable:
        abort(503)
    response = current_app.response_class(png, mimetype="image/png")
    response.headers["Cache-Control"] = "private, max-age=60"
    return response


def _chart_png(alert: dict[str, Any]) -> bytes:
    evidence = (
        alert["evidence"][0] if alert["evidence"] else {"metric": "impression", "where": alert["title"]}
    )
    metric = evidence["metric"]
    end = (alert["resolved_ms"] or alert["raised_ms"]) // MINUTE_MS + 10
    first = end - CHART_MINUTES + 1
    rollups = _rollups()
    if metric in RATES:
        data = queries.series(rollups, alert["root"], metric, end * MINUTE_MS)
        today, yesterday = data["today"][-CHART_MINUTES:], data["yesterday"][-CHART_MINUTES:]
    else:
        today = [float(v) for v in rollups.series(alert["root"], (metric,), first, end)[metric]]
        yesterday = [
            float(v) for v in rollups.series(alert["root"], (metric,), first - 1440, end - 1440)[metric]
        ]
    now_minute = _now_ms() // MINUTE_MS
    today = [v if first + i <= now_minute else None for i, v in enumerate(today)]
    title = f"{alert['title']}: {LABELS.get(metric, metric)} per minute (UTC)"
    return render_chart(title, (end - len(today) + 1) * MINUTE_MS, today, yesterday)


def _json(build: Callable[[], Any]) -> Any:
    value = _json_value(build)
    return value if isinstance(value, Response) else jsonify(value)


def _json_value(build: Callable[[], Any]) -> Any:
    try:
        return build()
    except StoreUnavailable:
        response = jsonify(error="monitoring data is temporarily unavailable")
        response.status_code = 503
        return response


def _valid_combo(combo: str) -> bool:
    if combo == GLOBAL:
        return True
    try:
        pairs = parse_combo(combo)
    except ValueError:
        return False
    return bool(pairs) and all(queries.is_known_dimension(k) and v for k, v in pairs.items())


def _is_alert_id(alert_id: str) -> bool:
    return len(alert_id) == 32 and all(c in "0123456789abcdef" for c in alert_id)


def _rollups() -> RollupStore:
    return RollupStore(get_redis())


def _alerts() -> AlertStore:
    return AlertStore(get_redis())


def _now_ms() -> int:
    return int(time.time() * 1000)
