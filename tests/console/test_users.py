"""The users page (admins only, route:console.users): list and create a merchant's users."""

from __future__ import annotations

import base64
import datetime as dt
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from bff.console.users import qr_data_uri
from tests.console.conftest import PASSWORD, console_login, csrf_of, post_form

PAGE = "/console/m/demo/users"


def audit(app) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    return list(app.extensions["onsite.audit"].records())


def test_an_admin_creates_a_merchant_admin_who_can_sign_in(app, admin_console) -> None:  # type: ignore[no-untyped-def]
    response = post_form(admin_console, PAGE, PAGE, {"username": "Mia", "password": PASSWORD})
    assert response.status_code == 200
    html = response.data.decode()
    uri = re.search(r'data-testid="totp-uri">([^<]+)<', html).group(1).replace("&amp;", "&")  # type: ignore[union-attr]
    assert uri.startswith("otpauth://totp/") and b"never shown again" in response.data
    assert re.search(r'<img src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+" alt="QR code', html)
    user = app.extensions["onsite.users"].get("mia")
    assert user is not None and user.role == "merchant_admin" and user.merchant == "demo"
    assert 'data-testid="users"' in html and "<td>mia</td>" in html
    listed = admin_console.get(PAGE).data.decode()
    assert "<td>mia</td>" in listed and "otpauth://" not in listed and "data:image/svg" not in listed
    entry = audit(app)[-1]
    assert entry["action"] == "user.create" and entry["target"] == {"user": "mia"}
    assert entry["details"] == {"role": "merchant_admin", "merchant": "demo"}
    assert entry["actor"] == {"kind": "user", "id": admin_console.username}
    assert user.totp_secret not in str(audit(app))
    # The new user signs in with the code from the URI, and lands on its merchant.
    secret = parse_qs(urlsplit(uri).query)["secret"][0]
    assert secret == user.totp_secret
    client = app.test_client()
    assert console_login(client, "mia", secret).status_code == 302
    assert client.get("/console").location.endswith("/console/m/demo")


def test_the_qr_code_is_an_svg_of_the_uri() -> None:
    uri = qr_data_uri("otpauth://totp/x?secret=ABC")
    svg = base64.b64decode(uri.removeprefix("data:image/svg+xml;base64,"))
    assert uri.startswith("data:image/svg+xml;base64,") and svg.startswith(b"<svg") and b"<path" in svg
    assert b"script" not in svg


def test_a_merchant_admin_has_no_users_page_and_no_tab(app, merchant_console) -> None:  # type: ignore[no-untyped-def]
    assert merchant_console.get(PAGE).status_code == 403
    token = csrf_of(merchant_console.get("/console/m/demo").data)
    response = merchant_console.post(
        PAGE, data={"username": "sneaky", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 403 and app.extensions["onsite.users"].get("sneaky") is None
    assert b"/users" not in merchant_console.get("/console/m/demo").data


def test_an_admin_sees_the_tab(admin_console) -> None:  # type: ignore[no-untyped-def]
    assert b'href="/console/m/demo/users"' in admin_console.get("/console/m/demo").data


def test_only_this_merchants_users_are_listed(app, admin_console) -> None:  # type: ignore[no-untyped-def]
    users = app.extensions["onsite.users"]
    now = dt.datetime.now(dt.UTC)
    users.create("theirs", "merchant_admin", PASSWORD, now, "other-shop")
    users.create("ours", "merchant_admin", PASSWORD, now, "demo")
    page = admin_console.get(PAGE).data.decode()
    assert (
        "<td>ours</td>" in page
        and "theirs" not in page
        and admin_console.username not in page.split("<main")[1]
    )
    assert [u.username for u in users.of_merchant("other-shop")] == ["theirs"]


@pytest.mark.parametrize(
    ("form", "field", "text"),
    [
        ({"username": "ok-name", "password": "short"}, "password", "At least 12"),
        ({"username": "ok-name", "password": "p" * 5000}, "password", "at most 1,024"),
        ({"username": "<script>", "password": PASSWORD}, "username", "lowercase letters"),
        ({"username": "x" * 10_000, "password": PASSWORD}, "username", "lowercase letters"),
        ({"username": "ünïcode", "password": PASSWORD}, "username", "lowercase letters"),
        ({"username": "", "password": ""}, "username", "lowercase letters"),
    ],
)
def test_bad_input_is_refused_next_to_its_field(
    app, admin_console, form: dict[str, str], field: str, text: str
) -> None:  # type: ignore[no-untyped-def]
    response = post_form(admin_console, PAGE, PAGE, form)
    assert response.status_code == 400
    html = response.data.decode()
    assert f'id="{field}-problem" role="alert"' in html and text in html
    assert f'aria-describedby="{field}-problem"' in html
    assert "<script>" not in html.split("<main")[1] and "x" * 33 not in html
    assert app.extensions["onsite.users"].of_merchant("demo") == []


def test_a_taken_name_is_refused(app, admin_console) -> None:  # type: ignore[no-untyped-def]
    assert post_form(admin_console, PAGE, PAGE, {"username": "dup", "password": PASSWORD}).status_code == 200
    again = post_form(admin_console, PAGE, PAGE, {"username": "dup", "password": PASSWORD + "!"})
    assert again.status_code == 400 and b"exists" in again.data and b"otpauth" not in again.data
    assert len([r for r in audit(app) if r["action"] == "user.create"]) == 1


def test_a_form_without_the_csrf_token_creates_nobody(app, admin_console) -> None:  # type: ignore[no-untyped-def]
    for token in (None, "x" * 43):
        data = {"username": "forged", "password": PASSWORD, **({"csrf_token": token} if token else {})}
        response = admin_console.post(PAGE, data=data)
        assert response.status_code == 400 and b"This form expired" in response.data
    assert app.extensions["onsite.users"].get("forged") is None


def test_an_unknown_merchant_is_a_404(admin_console) -> None:  # type: ignore[no-untyped-def]
    assert admin_console.get("/console/m/no-such-shop/users").status_code == 404
