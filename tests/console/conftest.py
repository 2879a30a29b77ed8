"""Fixtures of the console tests: users, signed-in test clients, the CSRF token of a page.

``signed_in(app, role, merchant)`` creates a user and returns a test client signed in to
the console as it (real Redis, real password and TOTP check). ``admin_console`` and
``merchant_console`` (a merchant admin of ``demo``) are the two usual ones.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from typing import Any

import pyotp
import pytest

PASSWORD = "correct horse battery"
_serial = itertools.count(1)


def csrf_of(html: bytes) -> str:
    """The CSRF token of a console page (its forms' hidden field)."""
    match = re.search(rb'name="csrf_token" value="([^"]+)"', html)
    assert match is not None, "the page has no CSRF token"
    return match.group(1).decode()


def make_console_user(app, role: str = "admin", merchant: str | None = None) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """Create a user; returns (username, TOTP secret)."""
    username = f"{role.replace('_', '-')}-{next(_serial)}"
    user = app.extensions["onsite.users"].create(username, role, PASSWORD, dt.datetime.now(dt.UTC), merchant)
    return username, str(user.totp_secret)


def console_login(client, username: str, secret: str) -> Any:  # type: ignore[no-untyped-def]
    """Post the console's login form; returns the response."""
    token = csrf_of(client.get("/console/login").data)
    form = {"username": username, "password": PASSWORD, "code": pyotp.TOTP(secret).now(), "csrf_token": token}
    return client.post("/console/login", data=form)


def signed_in(app, role: str = "admin", merchant: str | None = None):  # type: ignore[no-untyped-def]
    """A test client signed in to the console as a new user of ``role``."""
    client = app.test_client()
    username, secret = make_console_user(app, role, merchant)
    response = console_login(client, username, secret)
    assert response.status_code == 302, response.data
    client.username = username  # type: ignore[attr-defined]
    return client


def post_form(client, page: str, action: str, form: dict[str, Any]) -> Any:  # type: ignore[no-untyped-def]
    """GET ``page`` for its CSRF token, then POST ``form`` (plus the token) to ``action``."""
    token = csrf_of(client.get(page).data)
    return client.post(action, data={**form, "csrf_token": token})


@pytest.fixture
def admin_console(app):  # type: ignore[no-untyped-def]
    return signed_in(app, "admin")


@pytest.fixture
def merchant_console(app):  # type: ignore[no-untyped-def]
    return signed_in(app, "merchant_admin", "demo")
