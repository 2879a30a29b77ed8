"""Signing in to the dashboard: login and logout, the session cookie, CSRF tokens, ``login_required``.

Contract:

* The cookie ``onsite_dashboard`` holds only a token (``bff/auth/dashboard_sessions.py``):
  HttpOnly, SameSite=Strict, ``Path=/monitoring`` (the render RPC, the frames and every
  other route never receive it), Secure when the public origin or the request is https,
  and without Max-Age or Expires (the browser drops it when it closes; the server ends
  the session sooner: idle, absolute lifetime, logout, password or role change).
* A request without the cookie, or with a malformed one, makes no Redis call; only a
  well-formed token is looked up (one GET, and one SET that slides the idle deadline).
* ``GET /monitoring/login`` gives a visitor without the cookie a new token (nothing is
  stored) so that the form's CSRF token (an HMAC of the token) has something to bind to.
* ``POST /monitoring/login`` checks, in order: the CSRF token (401), the per-address
  rate limit (429, "try again in N s"), the account lock (403, ``LOCKED_MESSAGE``), then
  password and TOTP code. Success with a dashboard role: a new session under a new token
  (a token planted before the login is worth nothing), the previous session revoked, the
  username's failures forgotten. Wrong credentials: 401, one failure counted against the
  username (``bff/auth/lockout.py``); the failure that reaches the threshold locks the
  account and already answers with ``LOCKED_MESSAGE``. Every outcome is audited.
* ``POST /monitoring/logout`` with the CSRF token revokes the session and deletes the cookie.
* ``login_required``: without a live session, pages redirect to the login page and API
  calls get 401 JSON; a role without the resource gets 403 JSON; Redis down gives 503.
"""

from __future__ import annotations

import datetime as dt
import hmac
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, Response, current_app, g, jsonify, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from bff.assets import manifest
from bff.audit.log import record_safely
from bff.auth.dashboard_sessions import DashboardSession, DashboardSessionStore, is_token, new_token
from bff.auth.lockout import LoginLockout
from bff.auth.roles import allowed
from bff.auth.users import USERNAME, UserStore
from bff.errors import RateLimited, StoreUnavailable
from bff.rate_limits import client_ip, enforce
from bff.settings import Settings

COOKIE_NAME = "onsite_dashboard"
COOKIE_PATH = "/monitoring"
LOCKED_MESSAGE = "This account is locked after too many failed sign-ins; ask an administrator to unlock it."
WRONG_MESSAGE = "Wrong username, password or code."
UNAVAILABLE_MESSAGE = "Sign-in is temporarily unavailable; please try again shortly."


def add_login_routes(bp: Blueprint) -> None:
    """Mount ``/login`` and ``/logout`` on the dashboard's blueprint (endpoints ``<bp>.login|logout``)."""
    bp.add_url_rule("/login", "login", login, methods=["GET", "POST"])
    bp.add_url_rule("/logout", "logout", logout, methods=["POST"])


def current_session() -> DashboardSession | None:
    """The request's live session, looked up once per request (None without a valid cookie)."""
    if "dashboard_session" not in g:
        g.dashboard_session = _sessions().load(request.cookies.get(COOKIE_NAME), time.time())
    found: DashboardSession | None = g.dashboard_session
    return found


def login_required(
    view: Callable[..., Any], resource: str = "route:monitoring.read_api"
) -> Callable[..., Any]:
    """Pages redirect to the login, API calls get 401 JSON; a role without ``resource`` gets 403."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        api = request.path.startswith("/monitoring/api/")
        try:
            session = current_session()
        except StoreUnavailable:
            if api:
                return jsonify(error="the dashboard is temporarily unavailable"), 503
            return UNAVAILABLE_MESSAGE, 503, {"Content-Type": "text/plain; charset=utf-8"}
        if session is None:
            if api:
                return jsonify(error="login required"), 401
            return redirect(url_for("monitoring.login"))
        if not allowed(session.role, resource):
            return jsonify(error=f"your role ({session.role}) may not do this"), 403
        return view(*args, **kwargs)

    return wrapper


def requires(resource: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``login_required`` for a specific resource of the access policy."""
    return lambda view: login_required(view, resource)


def csrf_token() -> str:
    """The CSRF token for this visitor's cookie (minting the cookie's token if there is none)."""
    return _sessions().csrf_token(_cookie_token())


def csrf_ok(given: str | None) -> bool:
    """Whether ``given`` is the CSRF token of the cookie this request carries."""
    token = request.cookies.get(COOKIE_NAME)
    if not given or token is None or not is_token(token):
        return False
    return hmac.compare_digest(given.encode(), _sessions().csrf_token(token).encode())


def audit_user(action: str, username: str, details: dict[str, Any]) -> None:
    """Append an audit record with a dashboard user as the actor (never raises)."""
    actor = {"kind": "user", "id": username}
    record_safely(current_app.extensions["onsite.audit"], action, actor, details=details)


def dashboard_assets() -> dict[str, str]:
    """URLs of the dashboard's script and stylesheet (hashed names from the manifest)."""
    files = manifest()
    return {
        "dashboard_js": f"/static/{files.get('dashboard.js', '')}",
        "dashboard_css": f"/static/{files.get('dashboard.css', '')}",
    }


def login() -> Any:
    if request.method == "GET":
        return _login_page(None, 200)
    username = request.form.get("username", "").strip().lower()
    if not csrf_ok(request.form.get("csrf_token")):
        return _login_page("Your session expired; please try again.", 401)
    if (retry := _login_budget_exhausted()) is not None:
        return _login_page(f"Too many sign-in attempts; try again in {retry} s.", 429)
    try:
        return _sign_in(username)
    except StoreUnavailable:
        return _login_page(UNAVAILABLE_MESSAGE, 503)


def logout() -> Any:
    response = redirect(url_for("monitoring.login"))
    if csrf_ok(request.form.get("csrf_token")):
        try:
            _sessions().revoke(request.cookies.get(COOKIE_NAME))
        except StoreUnavailable:
            return _login_page(UNAVAILABLE_MESSAGE, 503)
        response.delete_cookie(COOKIE_NAME, path=COOKIE_PATH, httponly=True, samesite="Strict",
                               secure=_secure())  # fmt: skip
    return response


def _sign_in(username: str) -> Any:
    """Check the lock and the credentials of ``username``; start a session or count a failure."""
    lockout: LoginLockout = current_app.extensions["onsite.login_lockout"]
    countable = USERNAME.match(username) is not None  # other names cannot exist: nothing to lock
    if countable and lockout.is_locked(username):
        audit_user("auth.login_locked", username, {})
        return _login_page(LOCKED_MESSAGE, 403)
    now = time.time()
    users: UserStore = current_app.extensions["onsite.users"]
    user = users.authenticate(
        username,
        request.form.get("password", ""),
        request.form.get("code", ""),
        dt.datetime.fromtimestamp(now, dt.UTC),
    )
    if user is None:
        audit_user("auth.login_failed", username[:32] or "-", {})
        failures = lockout.record_failure(username, now) if countable else 0
        if failures == lockout.threshold:
            audit_user("auth.account_locked", username, {"failures": failures})
        if failures >= lockout.threshold:
            return _login_page(LOCKED_MESSAGE, 403)
        return _login_page(WRONG_MESSAGE, 401)
    lockout.clear_failures(username)
    if not allowed(user.role, "route:monitoring.index"):
        audit_user("auth.login_denied", user.username, {"role": user.role})
        return _login_page(f"Your role ({user.role}) has no access to the dashboard.", 403)
    sessions = _sessions()
    sessions.revoke(request.cookies.get(COOKIE_NAME))
    token = sessions.create(user.username, user.role, now)
    audit_user("auth.login", user.username, {"role": user.role})
    response = redirect(url_for("monitoring.index"))
    _set_cookie(response, token)
    return response


def _login_page(error: str | None, status: int) -> Response:
    token = csrf_token()
    html = render_template("monitoring/login.html", error=error, csrf_token=token, **dashboard_assets())
    response = current_app.response_class(html, status=status, mimetype="text/html")
    minted = g.get("minted_token")
    if minted is not None:
        _set_cookie(response, minted)
    return response


def _cookie_token() -> str:
    """The well-formed token of the request's cookie, or one minted for this response."""
    token = request.cookies.get(COOKIE_NAME)
    if token is not None and is_token(token):
        return token
    if "minted_token" not in g:
        g.minted_token = new_token()
    minted: str = g.minted_token
    return minted


def _set_cookie(response: BaseResponse, token: str) -> None:
    # No max_age/expires: a browser-session cookie; the server-side session ends it sooner.
    response.set_cookie(COOKIE_NAME, token, path=COOKIE_PATH, httponly=True, samesite="Strict",
                        secure=_secure())  # fmt: skip


def _secure() -> bool:
    return _settings().public_origin.startswith("https://") or request.is_secure


def _login_budget_exhausted() -> int | None:
    """Seconds to wait when this address used up its sign-in attempts, else None."""
    try:
        enforce("monitoring.login", _settings().login_rate, client_ip())
    except RateLimited as exc:
        return exc.retry_after_s
    return None


def _sessions() -> DashboardSessionStore:
    found: DashboardSessionStore = current_app.extensions["onsite.dashboard_sessions"]
    return found


def _settings() -> Settings:
    settings: Settings = current_app.extensions["onsite.settings"]
    return settings
