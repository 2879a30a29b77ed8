"""Signing in to the dashboard: the ``monitoring`` area of ``bff.auth.sign_in`` (its contract
holds here: the cookie ``onsite_dashboard`` on ``Path=/monitoring``, CSRF, lockout, audit).

The module-level names are the area's views and decorators, for ``views.py`` and
``merchant_views.py``; ``current_scope()`` is whose data the signed-in user may read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort

from bff.assets import bundle_urls
from bff.auth.sign_in import LOCKED_MESSAGE, WRONG_MESSAGE, SignIn, SignInArea, audit_user
from bff.monitoring.dashboard.scope import Scope, scope_of

COOKIE_NAME = "onsite_dashboard"
COOKIE_PATH = "/monitoring"

__all__ = [
    "COOKIE_NAME",
    "COOKIE_PATH",
    "LOCKED_MESSAGE",
    "WRONG_MESSAGE",
    "add_login_routes",
    "audit_user",
    "csrf_ok",
    "csrf_token",
    "current_scope",
    "current_session",
    "dashboard_assets",
    "login_required",
    "requires",
]


def dashboard_assets() -> dict[str, str]:
    """URLs of the dashboard's script and stylesheet (hashed names from the manifest)."""
    return bundle_urls("dashboard")


SIGN_IN = SignIn(
    SignInArea(
        name="monitoring",
        cookie_name=COOKIE_NAME,
        cookie_path=COOKIE_PATH,
        entry_resource="route:monitoring.index",
        login_template="monitoring/login.html",
        landing_endpoint="monitoring.index",
        assets=dashboard_assets,
        api_prefix="/monitoring/api/",
    )
)

add_login_routes = SIGN_IN.add_routes
current_session = SIGN_IN.current_session
requires = SIGN_IN.requires
csrf_token = SIGN_IN.csrf_token
csrf_ok = SIGN_IN.csrf_ok


def login_required(
    view: Callable[..., Any], resource: str = "route:monitoring.read_api"
) -> Callable[..., Any]:
    """Pages redirect to the login, API calls get 401 JSON; a role without ``resource`` gets 403."""
    return SIGN_IN.login_required(view, resource)


def current_scope() -> Scope:
    """The signed-in user's scope (``scope.py``); only inside a view behind ``login_required``."""
    session = current_session()
    if session is None:  # not reached: login_required let only a live session through
        abort(401)
    return scope_of(session.role, session.merchant)
