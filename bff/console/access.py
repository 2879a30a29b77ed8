"""Who may see which console page: the ``console`` sign-in area and the merchant scope.

* ``SIGN_IN`` is the console's area of ``bff.auth.sign_in`` (cookie ``onsite_console`` on
  ``Path=/console``; ``admin`` and ``merchant_admin`` may sign in).
* ``merchant_page(resource)`` guards a view taking ``client_id``: a live console session
  with ``resource`` (403 otherwise), and for a ``merchant_admin`` only its own merchant. Any
  other merchant, and an unknown one, is the same 404, so a merchant admin learns nothing
  about who else is a customer.
* ``form_checked`` guards a POST view: the form's ``csrf_token`` must match the session's
  cookie (400 with a page that says so otherwise); nothing is read or written before.
* ``actor()`` is the audit actor of the signed-in user.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, request

from bff.assets import bundle_urls
from bff.auth.dashboard_sessions import DashboardSession
from bff.auth.sign_in import SignIn, SignInArea

COOKIE_NAME = "onsite_console"
COOKIE_PATH = "/console"


def console_assets() -> dict[str, str]:
    """URLs of the console's script and stylesheet (hashed names from the manifest)."""
    return bundle_urls("console")


SIGN_IN = SignIn(
    SignInArea(
        name="console",
        cookie_name=COOKIE_NAME,
        cookie_path=COOKIE_PATH,
        entry_resource="route:console.index",
        login_template="console/login.html",
        landing_endpoint="console.index",
        assets=console_assets,
        api_prefix="/console/api/",
    )
)


def session() -> DashboardSession:
    """The signed-in user's session (only inside a guarded view)."""
    found = SIGN_IN.current_session()
    assert found is not None, "session() outside a guarded view"
    return found


def may_manage(client_id: str) -> bool:
    """Whether the signed-in user may manage ``client_id`` (admins: every merchant)."""
    current = session()
    return current.role == "admin" or current.merchant == client_id


def merchant_page(
    resource: str = "route:console.merchant",
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Guard a view of one merchant (its ``client_id`` URL argument): see the module contract."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def scoped(*args: Any, **kwargs: Any) -> Any:
            if not may_manage(str(kwargs.get("client_id", ""))):
                abort(404)
            return view(*args, **kwargs)

        return SIGN_IN.login_required(scoped, resource)

    return decorate


def form_checked(view: Callable[..., Any]) -> Callable[..., Any]:
    """Refuse a POST whose ``csrf_token`` field is not this session's (400)."""

    @wraps(view)
    def checked(*args: Any, **kwargs: Any) -> Any:
        if request.method == "POST" and not SIGN_IN.csrf_ok(
            request.form.get("csrf_token") or request.headers.get("X-CSRF-Token")
        ):
            abort(
                400, description="This form expired (its security token is missing or old); reload the page."
            )
        return view(*args, **kwargs)

    return checked


def actor() -> dict[str, str]:
    """The audit actor of the signed-in user."""
    return {"kind": "user", "id": session().username}
