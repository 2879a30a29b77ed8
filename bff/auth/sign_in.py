"""Signing in to a staff area (the monitoring dashboard, the merchant console): login and
logout, the session cookie, CSRF tokens, ``login_required``.

An area (``SignInArea``) names its blueprint, cookie, the resource of the access policy a
role needs to enter (``bff.auth.roles``), its login template and the assets that page
needs. ``SignIn(area)`` gives the views and decorators of that area.

Contract (the same in every area):

* The area's cookie holds only a token (``bff/auth/dashboard_sessions.py``): HttpOnly,
  SameSite=Strict, ``Path=<area path>`` (the render RPC, the frames and every other route
  never receive it), Secure when the public origin or the request is https, and without
  Max-Age or Expires (the browser drops it when it closes; the server ends the session
  sooner: idle, absolute lifetime, logout, password or role change). A session belongs
  to its area: a dashboard token is worth nothing in the console, and the reverse.
* A request without the cookie, or with a malformed one, makes no Redis call; only a
  well-formed token is looked up (one GET, and one SET that slides the idle deadline).
* ``GET <area>/login`` gives a visitor without the cookie a new token (nothing is stored)
  so that the form's CSRF token (an HMAC of the token) has something to bind to.
* ``POST <area>/login`` checks, in order: the CSRF token (401), the per-address rate
  limit (429, "try again in N s"), the account lock (403, ``LOCKED_MESSAGE``), then
  password and TOTP code. Success with a role that may enter the area: a new session under
  a new token (a token planted before the login is worth nothing), the previous session
  revoked, the username's failures forgotten. Wrong credentials: 401, one failure counted
  against the username (``bff/auth/lockout.py``, shared by the areas); the failure that
  reaches the threshold locks the account and already answers with ``LOCKED_MESSAGE``.
  Every outcome is audited.
* ``POST <area>/logout`` with the CSRF token revokes the session and deletes the cookie.
* ``login_required``: without a live session, pages redirect to the login page and API
  calls get 401 JSON; a role without the resource gets 403; Redis down gives 503.
"""

from __future__ import annotations

import datetime as dt
import hmac
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask import Blueprint, Response, current_app, g, jsonify, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from bff.audit.log import record_safely
from bff.auth.dashboard_sessions import DashboardSession, DashboardSessionStore, is_token, new_token
from bff.auth.lockout import LoginLockout
from bff.auth.roles import allowed
from bff.auth.users import USERNAME, UserStore
from bff.errors import RateLimited, StoreUnavailable
from bff.rate_limits import client_ip, enforce
from bff.settings import Settings

LOCKED_MESSAGE = "This account is locked after too many failed sign-ins; ask an administrator to unlock it."
WRONG_MESSAGE = "Wrong username, password or code."
UNAVAILABLE_MESSAGE = "Sign-in is temporarily unavailable; please try again shortly."


@dataclass(frozen=True)
class SignInArea:
    """One staff area: ``name`` is its blueprint's name and its sessions' area."""

    name: str
    cookie_name: str
    cookie_path: str
    entry_resource: str  # what a role needs to sign in here (and to see the landing page)
    login_template: str
    landing_endpoint: str
    assets: Callable[[], dict[str, str]]
    api_prefix: str | None = None  # paths under it answer JSON instead of redirecting

    @property
    def title(self) -> str:
        return "the console" if self.name == "console" else "the dashboard"


class SignIn:
    """The login views and the decorators of one area (used inside its requests)."""

    def __init__(self, area: SignInArea) -> None:
        self.area = area

    def add_routes(self, bp: Blueprint) -> None:
        """Mount ``/login`` and ``/logout`` on the area's blueprint."""
        bp.add_url_rule("/login", "login", self.login, methods=["GET", "POST"])
        bp.add_url_rule("/logout", "logout", self.logout, methods=["POST"])

    def current_session(self) -> DashboardSession | None:
        """The request's live session, looked up once per request (None without a valid cookie)."""
        slot = f"signin_{self.area.name}"
        if slot not in g:
            token = request.cookies.get(self.area.cookie_name)
            setattr(g, slot, _sessions().load(token, time.time(), self.area.name))
        found: DashboardSession | None = getattr(g, slot)
        return found

    def login_required(self, view: Callable[..., Any], resource: str | None = None) -> Callable[..., Any]:
        """Pages redirect to the login, API calls get 401 JSON; a role without ``resource``
        (by default the area's entry resource) gets 403."""
        needed = resource or self.area.entry_resource

        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            api = self.area.api_prefix is not None and request.path.startswith(self.area.api_prefix)
            try:
                session = self.current_session()
            except StoreUnavailable:
                if api:
                    return jsonify(error=f"{self.area.title} is temporarily unavailable"), 503
                return UNAVAILABLE_MESSAGE, 503, {"Content-Type": "text/plain; charset=utf-8"}
            if session is None:
                if api:
                    return jsonify(error="login required"), 401
                return redirect(url_for(f"{self.area.name}.login"))
            if not allowed(session.role, needed):
                return jsonify(error=f"your role ({session.role}) may not do this"), 403
            return view(*args, **kwargs)

        return wrapper

    def requires(self, resource: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """``login_required`` for a specific resource of the access policy."""
        return lambda view: self.login_required(view, resource)

    def csrf_token(self) -> str:
        """The CSRF token for this visitor's cookie (minting the cookie's token if there is none)."""
        return _sessions().csrf_token(self._cookie_token())

    def csrf_ok(self, given: str | None) -> bool:
        """Whether ``given`` is the CSRF token of the cookie this request carries."""
        token = request.cookies.get(self.area.cookie_name)
        if not given or token is None or not is_token(token):
            return False
        return hmac.compare_digest(given.encode(), _sessions().csrf_token(token).encode())

    def login(self) -> Any:
        if request.method == "GET":
            return self._login_page(None, 200)
        username = request.form.get("username", "").strip().lower()
        if not self.csrf_ok(request.form.get("csrf_token")):
            return self._login_page("Your session expired; please try again.", 401)
        try:
            if (retry := self._login_budget_exhausted()) is not None:
                return self._login_page(f"Too many sign-in attempts; try again in {retry} s.", 429)
            return self._sign_in(username)
        except StoreUnavailable:
            return self._login_page(UNAVAILABLE_MESSAGE, 503)

    def logout(self) -> Any:
        response = redirect(url_for(f"{self.area.name}.login"))
        if self.csrf_ok(request.form.get("csrf_token")):
            try:
                _sessions().revoke(request.cookies.get(self.area.cookie_name))
            except StoreUnavailable:
                return self._login_page(UNAVAILABLE_MESSAGE, 503)
            response.delete_cookie(self.area.cookie_name, path=self.area.cookie_path, httponly=True,
                                   samesite="Strict", secure=_secure())  # fmt: skip
        return response

    def _sign_in(self, username: str) -> Any:
        """Check the lock and the credentials of ``username``; start a session or count a failure."""
        lockout: LoginLockout = current_app.extensions["onsite.login_lockout"]
        countable = USERNAME.match(username) is not None  # other names cannot exist: nothing to lock
        if countable and lockout.is_locked(username):
            audit_user("auth.login_locked", username, {"area": self.area.name})
            return self._login_page(LOCKED_MESSAGE, 403)
        now = time.time()
        users: UserStore = current_app.extensions["onsite.users"]
        user = users.authenticate(
            username,
            request.form.get("password", ""),
            request.form.get("code", ""),
            dt.datetime.fromtimestamp(now, dt.UTC),
        )
        if user is None:
            audit_user("auth.login_failed", username[:32] or "-", {"area": self.area.name})
            failures = lockout.record_failure(username, now) if countable else 0
            if failures == lockout.threshold:
                audit_user("auth.account_locked", username, {"failures": failures})
            if failures >= lockout.threshold:
                return self._login_page(LOCKED_MESSAGE, 403)
            return self._login_page(WRONG_MESSAGE, 401)
        lockout.clear_failures(username)
        if not allowed(user.role, self.area.entry_resource):
            audit_user("auth.login_denied", user.username, {"role": user.role, "area": self.area.name})
            return self._login_page(f"Your role ({user.role}) has no access to {self.area.title}.", 403)
        sessions = _sessions()
        sessions.revoke(request.cookies.get(self.area.cookie_name))
        token = sessions.create(user.username, user.role, now, self.area.name, user.merchant)
        audit_user("auth.login", user.username, {"role": user.role, "area": self.area.name})
        response = redirect(url_for(self.area.landing_endpoint))
        self._set_cookie(response, token)
        return response

    def _login_page(self, error: str | None, status: int) -> Response:
        token = self.csrf_token()
        html = render_template(self.area.login_template, error=error, csrf_token=token, **self.area.assets())
        response = current_app.response_class(html, status=status, mimetype="text/html")
        minted = g.get("minted_token")
        if minted is not None:
            self._set_cookie(response, minted)
        return response

    def _cookie_token(self) -> str:
        """The well-formed token of the request's cookie, or one minted for this response."""
        token = request.cookies.get(self.area.cookie_name)
        if token is not None and is_token(token):
            return token
        if "minted_token" not in g:
            g.minted_token = new_token()
        minted: str = g.minted_token
        return minted

    def _set_cookie(self, response: BaseResponse, token: str) -> None:
        # No max_age/expires: a browser-session cookie; the server-side session ends it sooner.
        response.set_cookie(self.area.cookie_name, token, path=self.area.cookie_path, httponly=True,
                            samesite="Strict", secure=_secure())  # fmt: skip

    def _login_budget_exhausted(self) -> int | None:
        """Seconds to wait when this address used up its sign-in attempts, else None."""
        try:
            enforce("monitoring.login", _settings().login_rate, client_ip())
        except RateLimited as exc:
            return exc.retry_after_s
        return None


def audit_user(action: str, username: str, details: dict[str, Any]) -> None:
    """Append an audit record with a signed-in user as the actor (never raises)."""
    actor = {"kind": "user", "id": username}
    record_safely(current_app.extensions["onsite.audit"], action, actor, details=details)


def _secure() -> bool:
    return _settings().public_origin.startswith("https://") or request.is_secure


def _sessions() -> DashboardSessionStore:
    found: DashboardSessionStore = current_app.extensions["onsite.dashboard_sessions"]
    return found


def _settings() -> Settings:
    settings: Settings = current_app.extensions["onsite.settings"]
    return settings
