"""Who reaches which console page: sign-in per role, the merchant scope, CSRF, headers."""

from __future__ import annotations

import pytest

from bff.console.access import COOKIE_NAME
from tests.console.conftest import console_login, make_console_user, post_form, signed_in
from tests.monitoring.test_dashboard import log_in, make_user


def test_the_console_redirects_to_its_login_without_a_session(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/console")
    assert response.status_code == 302 and response.location.endswith("/console/login")
    assert client.get("/console/m/demo").status_code == 302


@pytest.mark.parametrize("role", ["analyst", "auditor"])
def test_roles_without_console_access_cannot_sign_in(app, role: str) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    username, secret = make_console_user(app, role)
    response = console_login(client, username, secret)
    assert response.status_code == 403
    assert b"has no access to the console" in response.data
    assert (
        client.get_cookie(COOKIE_NAME, path="/console") is None or client.get("/console").status_code == 302
    )


def test_a_merchant_admin_lands_on_its_merchant_and_sees_no_other(app, merchant_console) -> None:  # type: ignore[no-untyped-def]
    response = merchant_console.get("/console")
    assert response.status_code == 302 and response.location.endswith("/console/m/demo")
    page = merchant_console.get("/console/m/demo")
    assert page.status_code == 200 and b'data-testid="client-id">demo<' in page.data
    other = {"client_id": "other-shop", "name": "Other", "allowed_origins": [], "currencies": {}}
    documents = app.extensions["onsite.merchants"].documents
    documents.save({**other, "placements": {}}, {"kind": "test", "id": "t"}, "2026-12-06T00:00:00+00:00", 0)
    # Another merchant and an unknown one look the same: 404.
    assert merchant_console.get("/console/m/other-shop").status_code == 404
    assert merchant_console.get("/console/m/no-such-shop").status_code == 404
    # Creating merchants is the admin's.
    created = post_form(merchant_console, "/console/m/demo", "/console/merchants", {"client_id": "mine"})
    assert created.status_code == 403


def test_an_admin_lists_merchants_and_creates_one(admin_console) -> None:  # type: ignore[no-untyped-def]
    home = admin_console.get("/console")
    assert home.status_code == 200 and b"/console/m/demo" in home.data
    response = post_form(
        admin_console, "/console", "/console/merchants", {"client_id": "acme", "name": "Acme <b>"}
    )
    assert response.status_code == 303 and response.location.endswith("/console/m/acme?created=1")
    page = admin_console.get("/console/m/acme?created=1")
    assert (
        b"Merchant created" in page.data and b"Acme &lt;b&gt;" in page.data and b"Acme <b>" not in page.data
    )
    again = post_form(admin_console, "/console", "/console/merchants", {"client_id": "acme"})
    assert again.status_code == 400 and b"exists" in again.data
    bad = post_form(admin_console, "/console", "/console/merchants", {"client_id": "Not An Id!"})
    assert bad.status_code == 400 and b'aria-invalid="true"' in bad.data


def test_a_form_without_the_session_csrf_token_changes_nothing(admin_console) -> None:  # type: ignore[no-untyped-def]
    response = admin_console.post("/console/merchants", data={"client_id": "sneaky", "csrf_token": "x" * 43})
    assert response.status_code == 400 and b"This form expired" in response.data
    assert admin_console.get("/console/m/sneaky").status_code == 404


def test_console_and_dashboard_sessions_do_not_cross(app) -> None:  # type: ignore[no-untyped-def]
    dashboard = app.test_client()
    secret = make_user(app, "both")
    assert log_in(dashboard, username="both", secret=secret).status_code == 302
    token = dashboard.get_cookie("onsite_dashboard", path="/monitoring").value
    console = app.test_client()
    console.set_cookie(COOKIE_NAME, token, path="/console")
    assert console.get("/console").status_code == 302  # the dashboard's token opens nothing here


def test_pages_carry_a_strict_policy(admin_console) -> None:  # type: ignore[no-untyped-def]
    for path in ("/console", "/console/m/demo", "/console/login", "/console/m/nope"):
        response = admin_console.get(path)
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe" not in csp
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["X-Frame-Options"] == "DENY"


def test_signing_out_ends_the_console_session(app) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(app)
    assert post_form(client, "/console", "/console/logout", {}).status_code == 302
    assert client.get("/console").status_code == 302
