"""The monitoring dashboard: ``/monitoring`` behind a password login, its JSON API, alert charts.

* ``GET/POST /monitoring/login``, ``POST /monitoring/logout``: a user's password
  (Argon2id) plus a TOTP code (``bff.auth.users``), sessions kept in Redis behind a
  token cookie, account lockout, CSRF tokens: ``login.py``. The role decides what the
  session may do (``bff.auth.roles``: admin, analyst and merchant_admin read, only admin
  acknowledges) and whose data it reads (``scope.py``: a merchant admin its own merchant
  only; anything else, in a URL or a query parameter, is a 404).
* ``GET /monitoring``: the real-time page; the script (``static/dashboard-<hash>.js``, uPlot
  inside) reads the JSON API: ``api/overview``, ``api/series``, ``api/breakdown``,
  ``api/alerts``, and ``POST api/alerts/<id>/ack`` (with the ``X-CSRF-Token`` of the page).
  It starts at the scope's root: all traffic, or the merchant admin's merchant.
* The merchant pages (funnel, experiments, trends, anomalies, CSV): ``merchant_views.py``.
* ``GET /monitoring/charts/<alert id>.png``: the alert's chart, without login, because
  Slack fetches it; the 128-bit random alert id makes the URL a capability. A signed-in
  merchant admin asking for another merchant's alert gets a 404 all the same.

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

from bff.auth.roles import allowed
from bff.errors import StoreUnavailable
from bff.monitoring.alerts.store import AlertStore
from bff.monitoring.dashboard import queries
from bff.monitoring.dashboard.chart import render_chart
from bff.monitoring.dashboard.login import (
    add_login_routes,
    audit_user,
    csrf_ok,
    csrf_token,
    current_scope,
    current_session,
    dashboard_assets,
    login_required,
    requires,
)
from bff.monitoring.dashboard.scope import Scope, scope_of
from bff.monitoring.dimensions import DIMENSIONS, parse_combo
from bff.monitoring.metrics import LABELS, RATES
from bff.monitoring.rollups.aggregation import MINUTE_MS
from bff.monitoring.rollups.store import RollupStore
from bff.store.connection import get_redis

bp = Blueprint("monitoring", __name__, url_prefix="/monitoring")
add_login_routes(bp)

CHART_MINUTES = 90
RECENT_ALERTS = 100
SCOPED_ALERTS_SCANNED = 1000
METRIC_OPTIONS = tuple(
    (name, label)
    for name, label in (
        ("impression", "impressions"),
        ("view", "views"),
        ("click", "clicks"),
        ("interstitial_open", "interstitial opens"),
        ("session", "sessions"),
        ("authorization", "authorizations"),
        ("authorization_failure", "failed authorizations"),
        ("order_created", "orders"),
        ("click_through", "click-through rate"),
        ("authorization_success_rate", "authorization success rate"),
        ("conversion", "conversion rate (orders per session)"),
        ("message_conversion", "message conversion (orders per viewable impression)"),
    )
    if queries.is_known_metric(name)  # message_conversion: when the rollups count it
)
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
    from bff.monitoring.dashboard import merchant_views  # noqa: F401  (its routes join ``bp``)

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
    scope = current_scope()
    fixed = parse_combo(scope.root)
    return render_template(
        "monitoring/dashboard.html",
        csrf_token=csrf_token(),
        root=scope.root,
        merchant=scope.merchant,
        can_acknowledge=_may_acknowledge(),
        dimensions=[d for d in DIMENSIONS if d not in fixed],
        metrics=METRIC_OPTIONS,
        **dashboard_assets(),
    )


@bp.get("/api/overview")
@login_required
def api_overview() -> Any:
    scope = current_scope()
    return _json(lambda: queries.overview(_rollups(), scoped_alerts(scope), _now_ms(), scope.root))


@bp.get("/api/series")
@login_required
def api_series() -> Any:
    scope = current_scope()
    combo = request.args.get("combo", scope.root)
    metric = request.args.get("metric", "impression")
    if not queries.is_canonical_combo(combo) or not queries.is_known_metric(metric):
        return jsonify(error="unknown combo or metric"), 400
    if not scope.allows_combo(combo):
        return jsonify(error="no such combo"), 404
    return _json(lambda: queries.series(_rollups(), combo, metric, _now_ms()))


@bp.get("/api/breakdown")
@login_required
def api_breakdown() -> Any:
    scope = current_scope()
    parent = request.args.get("combo", scope.root)
    dimension = request.args.get("dimension", "merchant" if scope.cross_merchant else "country")
    if (
        not queries.is_canonical_combo(parent)
        or not queries.is_known_dimension(dimension)
        or dimension in parse_combo(parent)
    ):
        return jsonify(error="unknown combo or dimension"), 400
    if not scope.allows_combo(parent):
        return jsonify(error="no such combo"), 404
    return _json(lambda: queries.breakdown(_rollups(), parent, dimension, _now_ms()))


@bp.get("/api/alerts")
@login_required
def api_alerts() -> Any:
    scope = current_scope()
    return _json(lambda: {"alerts": scoped_alerts(scope)})


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
        if alert is None or not _signed_in_scope_allows(alert["root"]):
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


def _is_alert_id(alert_id: str) -> bool:
    return len(alert_id) == 32 and all(c in "0123456789abcdef" for c in alert_id)


def _may_acknowledge() -> bool:
    session = current_session()
    return session is not None and allowed(session.role, "route:monitoring.acknowledge")


def scoped_alerts(scope: Scope) -> list[dict[str, Any]]:
    """The most recent alerts ``scope`` may read, newest first (a merchant's among the last
    1,000 raised: an alert older than that drops off the merchant's list)."""
    recent = _alerts().recent(RECENT_ALERTS if scope.cross_merchant else SCOPED_ALERTS_SCANNED)
    return scope.alerts(recent)[:RECENT_ALERTS]


def _signed_in_scope_allows(root: str) -> bool:
    """Slack fetches charts without a session (allowed); a signed-in user needs the scope."""
    session = current_session()
    return session is None or scope_of(session.role, session.merchant).allows_combo(root)


def _rollups() -> RollupStore:
    return RollupStore(get_redis())


def _alerts() -> AlertStore:
    return AlertStore(get_redis())


def _now_ms() -> int:
    return int(time.time() * 1000)
