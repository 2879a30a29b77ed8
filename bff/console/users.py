"""A merchant's console users (admins only, ``route:console.users``; tab "Users").

* ``GET /console/m/<client_id>/users``: the merchant's ``merchant_admin`` users.
* ``POST`` the same URL: create one (username, an initial password of at least 12
  characters). The response, and only it, shows the TOTP provisioning URI as text and as
  a QR code (an SVG ``data:`` image: the console's CSP allows ``data:`` images and no
  inline style), for the new user to scan into an authenticator app. Audited as
  ``user.create`` with the signed-in admin as actor.

A merchant admin gets 403 here and does not see the tab.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
from typing import Any

import segno
from flask import current_app, render_template, request

from bff.audit.log import record_safely
from bff.auth.users import MIN_PASSWORD, USERNAME, UserStore, provisioning_uri
from bff.console import bp, section
from bff.console.access import actor, form_checked, merchant_page
from bff.merchants import admin

RESOURCE = "route:console.users"
MAX_PASSWORD_CHARS = 1024  # Argon2 hashes anything; a cap keeps the work per sign-in bounded


@bp.route("/m/<client_id>/users", methods=["GET", "POST"])
@merchant_page(RESOURCE)
@form_checked
def users(client_id: str) -> Any:
    merchant = admin.get(client_id)
    if request.method == "GET":
        return _page(merchant)
    username = request.form.get("username", "").strip().lower()
    password = request.form.get("password", "")
    problems = _problems(username, password)
    if problems:
        return _page(merchant, username=username[:32], problems=problems, status=400)
    try:
        user = _users().create(username, "merchant_admin", password, dt.datetime.now(dt.UTC), client_id)
    except ValueError as exc:  # the name is taken (the rest was checked above)
        return _page(merchant, username=username, problems={"username": [str(exc)]}, status=400)
    record_safely(
        current_app.extensions["onsite.audit"],
        "user.create",
        actor(),
        target={"user": username},
        details={"role": "merchant_admin", "merchant": client_id},
    )
    uri = provisioning_uri(user)
    return _page(merchant, created={"username": username, "uri": uri, "qr": qr_data_uri(uri)})


def qr_data_uri(text: str) -> str:
    """``text`` as a QR code, an SVG ``data:`` URI for an ``<img>``."""
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="svg", scale=4, xmldecl=False, title="QR code")
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _problems(username: str, password: str) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if not USERNAME.match(username):
        problems["username"] = [
            "2-32 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit."
        ]
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD_CHARS:
        problems["password"] = [f"At least {MIN_PASSWORD} characters (at most {MAX_PASSWORD_CHARS:,})."]
    return problems


def _page(
    merchant: dict[str, Any],
    *,
    username: str = "",
    problems: dict[str, list[str]] | None = None,
    created: dict[str, str] | None = None,
    status: int = 200,
) -> Any:
    html = render_template(
        "console/users.html",
        merchant=merchant,
        section="console.users",
        users=_users().of_merchant(merchant["client_id"]),
        username=username,
        problems=problems or {},
        created=created,
        min_password=MIN_PASSWORD,
    )
    return html, status


def _users() -> UserStore:
    found: UserStore = current_app.extensions["onsite.users"]
    return found


section("console.users", "Users", RESOURCE)
