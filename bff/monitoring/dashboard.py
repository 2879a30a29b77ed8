"""The monitoring dashboard: ``/monitoring`` behind a password login, its JSON API, alert charts.

* ``GET/POST /monitoring/login``, ``POST /monitoring/logout``: a user's password
  (Argon2id) plus a TOTP code (``bff.auth.users``); the role decides what the session may
  do (``bff.auth.roles``: admin and analyst read, only admin acknowledges). Logins are
  rate limited per address and audited. The session cookie is HttpOnly,
  SameSite=Strict (and Secure on an https origin).
* ``GET /monitoring``: the page; the script (``static/dashboard-<hash>.js``, uPlot inside)
  reads the JSON API: ``api/overview``, ``api/series``, ``api/breakdown``, ``api/alerts``,
  and ``POST api/alerts/<id>/ack`` (with the ``X-CSRF-Token`` of the page).
* ``GET /monitoring/charts/<alert id>.png``: the alert's chart, without login, because
  Slack fetches it; the 128-bit random alert id makes the URL a capability.

Every page is sent with a strict CSP (no inline script or style), ``no-store`` and
``frame-ancestors 'none'``. API errors are JSON ``{"error": ...}`` with a 4xx status.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from bff.assets import manifest
from bff.audit.log import record_safely
from bff.auth.roles import allowed
from bff.auth.users import UserStore
from bff.errors import RateLimited, StoreUnavailable
from bff.monitoring import dashboard_queries as queries
from bff.monitoring.aggregation import MINUTE_MS
from bff.monitoring.alert_store import AlertStore
from bff.monitoring.chart import render_chart
from bff.monitoring.dimensions import GLOBAL, parse_combo
from bff.monitoring.metrics import LABELS, RATES
from bff.monitoring.rollup_store import RollupStore
from bff.rate_limits import client_ip, enforce
from bff.settings import Settings
from bff.store.connection import get_redis

bp = Blueprint("monitoring", __name__, url_prefix="/monitoring")

USER_KEY = "monitoring_user"
ROLE_KEY = "monitoring_role"
CSRF_KEY = "monitoring_csrf"
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
    """Mount the blueprint; sign session cookies with ``ONSITE_SECRET_KEY`` (or a random key)."""
    settings: Settings = app.extensions["onsite.settings"]
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = settings.secret_key or secrets.token_hex(32)
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_SECURE=settings.public_origin.startswith("https://"),
    )
    app.register_blueprint(bp)


@bp.after_request
def dashboard_headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = DASHBOARD_CSP
    response.headers["X-Frame-Options"] = "DENY"
    if not request.path.startswith("/monitoring/charts/"):
        response.headers["Cache-Control"] = "no-store"
    return response


def login_required(
    view: Callable[..., Any], resource: str = "route:monitoring.read_api"
) -> Callable[..., Any]:
    """Pages redirect to the login, API calls get 401 JSON; a role without ``resource`` gets 403."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if session.get(USER_KEY) is None:
            if request.path.startswith("/monitoring/api/"):
                return jsonify(error="login required"), 401
            return redirect(url_for("monitoring.login"))
        if not allowed(session.get(ROLE_KEY), resource):
            return jsonify(error=f"your role ({session.get(ROLE_KEY)}) may not do this"), 403
        return view(*args, **kwargs)

    return wrapper


def requires(resource: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``login_required`` for a specific resource of the access policy."""
    return lambda view: login_required(view, resource)


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    error, status = None, 200
    if request.method == "POST":
        username = request.form.get("username", "").strip().lower()
        if not _csrf_ok(request.form.get("csrf_token")):
            error, status = "Your session expired; please try again.", 401
        elif (retry := _login_budget_exhausted()) is not None:
            error, status = f"Too many sign-in attempts; try again in {retry} s.", 429
        else:
            now = dt.datetime.now(dt.UTC)
            user = _users().authenticate(
                username, request.form.get("password", ""), request.form.get("code", ""), now
            )
            if user is not None and allowed(user.role, "route:monitoring.index"):
                session.clear()
                session[USER_KEY] = user.username
                session[ROLE_KEY] = user.role
                session[CSRF_KEY] = secrets.token_urlsafe(24)
                _audit("auth.login", user.username, {"role": user.role})
                return redirect(url_for("monitoring.index"))
            if user is not None:
                error, status = f"Your role ({user.role}) has no access to the dashboard.", 403
                _audit("auth.login_denied", user.username, {"role": user.role})
            else:
                error, status = "Wrong username, password or code.", 401
                _audit("auth.login_failed", username[:32] or "-", {})
    page = render_template("monitoring/login.html", error=error, csrf_token=_csrf_token(), **_assets())
    return page, status


@bp.post("/logout")
def logout() -> Any:
    if _csrf_ok(request.form.get("csrf_token")):
        session.clear()
    return redirect(url_for("monitoring.login"))


@bp.get("")
@login_required
def index() -> Any:
    return render_template("monitoring/dashboard.html", csrf_token=_csrf_token(), **_assets())


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
    if not _csrf_ok(request.headers.get("X-CSRF-Token")):
        return jsonify(error="missing or wrong X-CSRF-Token"), 403
    if not _is_alert_id(alert_id):
        return jsonify(error="no such alert"), 404
    alert = _json_value(lambda: _alerts().acknowledge(alert_id, session[USER_KEY], _now_ms()))
    _audit("alert.acknowledge", session[USER_KEY], {"alert_id": alert_id})
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


def _users() -> UserStore:
    found: UserStore = current_app.extensions["onsite.users"]
    return found


def _audit(action: str, username: str, details: dict[str, Any]) -> None:
    actor = {"kind": "user", "id": username}
    record_safely(current_app.extensions["onsite.audit"], action, actor, details=details)


def _login_budget_exhausted() -> int | None:
    """Seconds to wait when this address used up its sign-in attempts, else None."""
    try:
        enforce("monitoring.login", _settings().login_rate, client_ip())
    except RateLimited as exc:
        return exc.retry_after_s
    return None


def _csrf_token() -> str:
    token = session.get(CSRF_KEY)
    if token is None:
        token = session[CSRF_KEY] = secrets.token_urlsafe(24)
    return str(token)


def _csrf_ok(given: str | None) -> bool:
    expected = session.get(CSRF_KEY)
    return bool(given) and expected is not None and hmac.compare_digest(str(given), str(expected))


def _assets() -> dict[str, str]:
    files = manifest()
    return {
        "dashboard_js": f"/static/{files.get('dashboard.js', '')}",
        "dashboard_css": f"/static/{files.get('dashboard.css', '')}",
    }


def _settings() -> Settings:
    settings: Settings = current_app.extensions["onsite.settings"]
    return settings


def _rollups() -> RollupStore:
    return RollupStore(get_redis())


def _alerts() -> AlertStore:
    return AlertStore(get_redis())


def _now_ms() -> int:
    return int(time.time() * 1000)
