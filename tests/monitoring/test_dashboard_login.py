"""Signing in to the dashboard (bff/monitoring/dashboard/login.py): the token cookie, sessions that
end (logout, idle, absolute), CSRF, the lockout across addresses. Real HTTP through the test client,
real Redis; timeouts use settings of a second or two."""

from __future__ import annotations

import re
import time
from typing import Any

import pyotp
import pytest

from bff import create_app
from bff.auth.dashboard_sessions import TOKEN
from bff.monitoring.dashboard.login import COOKIE_NAME, LOCKED_MESSAGE
from tests.demo_render import demo_render_call
from tests.monitoring.test_dashboard import PASSWORD, csrf_of, make_user
from tests.redis_commands import calls_since, command_calls


def sign_in(  # type: ignore[no-untyped-def]
    client, secret: str, username: str = "ops", password: str = PASSWORD, window: int = 0,
    addr: str = "127.0.0.1",
):  # fmt: skip
    """Post the login form from ``addr``; ``window`` picks the TOTP code (each is accepted once)."""
    environ = {"REMOTE_ADDR": addr}
    token = csrf_of(client.get("/monitoring/login", environ_overrides=environ).data)
    code = pyotp.TOTP(secret).at(time.time() + 30 * window)
    form = {"username": username, "password": password, "code": code, "csrf_token": token}
    return client.post("/monitoring/login", data=form, environ_overrides=environ)


def session_cookie(response: Any) -> str:
    (header,) = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(f"{COOKIE_NAME}=")]
    return str(header)


@pytest.fixture
def ops(settings):  # type: ignore[no-untyped-def]
    """(app, TOTP secret of the admin ``ops``) with the test settings."""
    app = create_app(settings)
    return app, make_user(app)


def test_the_cookie_is_a_token_scoped_to_the_dashboard_for_the_browser_session(ops, redis_client) -> None:  # type: ignore[no-untyped-def]
    app, secret = ops
    client = app.test_client()
    response = sign_in(client, secret)
    assert response.status_code == 302
    header = session_cookie(response)
    assert "; HttpOnly" in header and "; SameSite=Strict" in header and "; Path=/monitoring" in header
    assert "Expires=" not in header and "Max-Age=" not in header and "Secure" not in header
    assert not any(h.startswith("session=") for h in response.headers.getlist("Set-Cookie"))
    token = header.split(";", 1)[0].removeprefix(f"{COOKIE_NAME}=")
    assert TOKEN.match(token)
    keys = list(redis_client.scan_iter("onsite:{auth}:session:*"))
    assert len(keys) == 1 and token.encode() not in keys[0] + redis_client.get(keys[0])


def test_the_cookie_is_secure_on_an_https_origin(settings) -> None:  # type: ignore[no-untyped-def]
    app = create_app(settings.replace(public_origin="https://onsite.example"))
    response = sign_in(app.test_client(), make_user(app))
    assert "; Secure" in session_cookie(response)


def test_the_render_rpc_never_receives_the_dashboard_cookie(ops) -> None:  # type: ignore[no-untyped-def]
    app, secret = ops
    client = app.test_client()
    assert sign_in(client, secret).status_code == 302
    assert COOKIE_NAME in (client.get("/monitoring").request.headers.get("Cookie") or "")
    render = client.post("/rpc", json=demo_render_call("s" * 32))
    assert render.json["result"]["kind"] == "badge"
    assert render.request.headers.get("Cookie") is None
    assert "Set-Cookie" not in render.headers


def test_a_visitor_without_the_cookie_gets_a_form_token_and_costs_no_redis_call(ops, redis_client) -> None:  # type: ignore[no-untyped-def]
    app, _ = ops
    client = app.test_client()
    before = command_calls(redis_client)
    assert client.get("/monitoring").status_code == 302
    assert client.get("/monitoring/api/overview").status_code == 401
    page = app.test_client().get("/monitoring/login")
    assert calls_since(redis_client, before) == {}
    assert page.status_code == 200 and "; Path=/monitoring" in session_cookie(page)


def test_logout_ends_the_session_and_the_old_cookie_gets_the_login_page(ops) -> None:  # type: ignore[no-untyped-def]
    app, secret = ops
    client = app.test_client()
    sign_in(client, secret)
    token = client.get_cookie(COOKIE_NAME, path="/monitoring").value
    logout = client.post("/monitoring/logout", data={"csrf_token": csrf_of(client.get("/monitoring").data)})
    assert logout.status_code == 302 and "Expires=Thu, 01 Jan 1970" in session_cookie(logout)

    replay = app.test_client()
    replay.set_cookie(COOKIE_NAME, token, path="/monitoring")
    page = replay.get("/monitoring")
    assert page.status_code == 302 and page.headers["Location"].endswith("/monitoring/login")
    assert replay.get("/monitoring/api/overview").status_code == 401


def test_a_forged_token_gets_the_login_page(ops) -> None:  # type: ignore[no-untyped-def]
    app, _ = ops
    client = app.test_client()
    client.set_cookie(COOKIE_NAME, "A" * 43, path="/monitoring")
    assert client.get("/monitoring").status_code == 302


def test_a_login_issues_a_new_token_and_ends_the_previous_session(ops) -> None:  # type: ignore[no-untyped-def]
    app, secret = ops
    client = app.test_client()
    client.get("/monitoring/login")
    before = client.get_cookie(COOKIE_NAME, path="/monitoring").value
    sign_in(client, secret)
    first = client.get_cookie(COOKIE_NAME, path="/monitoring").value
    sign_in(client, secret, window=1)
    second = client.get_cookie(COOKIE_NAME, path="/monitoring").value
    assert len({before, first, second}) == 3
    for stale in (before, first):
        other = app.test_client()
        other.set_cookie(COOKIE_NAME, stale, path="/monitoring")
        assert other.get("/monitoring").status_code == 302
    assert client.get("/monitoring").status_code == 200


def test_a_form_token_of_another_cookie_is_refused(ops) -> None:  # type: ignore[no-untyped-def]
    app, secret = ops
    theirs = csrf_of(app.test_client().get("/monitoring/login").data)
    client = app.test_client()
    client.get("/monitoring/login")
    form = {"username": "ops", "password": PASSWORD, "code": pyotp.TOTP(secret).now(), "csrf_token": theirs}
    response = client.post("/monitoring/login", data=form)
    assert response.status_code == 401 and b"Your session expired" in response.data


def test_an_idle_session_ends_and_activity_keeps_it(settings) -> None:  # type: ignore[no-untyped-def]
    app = create_app(settings.replace(session_idle_s=2))
    client = app.test_client()
    assert sign_in(client, make_user(app)).status_code == 302
    for _ in range(2):  # 2.4 s in all, never 2 s idle
        time.sleep(1.2)
        assert client.get("/monitoring").status_code == 200
    time.sleep(2.2)
    assert client.get("/monitoring").status_code == 302
    assert client.get("/monitoring/api/overview").status_code == 401


def test_a_session_ends_at_its_absolute_lifetime_however_busy(settings) -> None:  # type: ignore[no-untyped-def]
    app = create_app(settings.replace(session_absolute_s=2))
    client = app.test_client()
    assert sign_in(client, make_user(app)).status_code == 302
    time.sleep(1.2)
    assert client.get("/monitoring").status_code == 200
    time.sleep(1.0)
    assert client.get("/monitoring").status_code == 302


def test_failures_from_many_addresses_lock_the_account_until_an_admin_unlocks_it(settings) -> None:  # type: ignore[no-untyped-def]
    app = create_app(settings.replace(login_lockout_failures=3))
    secret = make_user(app)
    client = app.test_client()
    failures = [sign_in(client, secret, password="wrong password!", addr=f"10.0.0.{i}") for i in (1, 2, 3)]
    assert [r.status_code for r in failures] == [401, 401, 403]
    assert LOCKED_MESSAGE.encode() in failures[-1].data
    locked = sign_in(client, secret, addr="10.0.0.4")  # the right password and a fresh code
    assert locked.status_code == 403 and LOCKED_MESSAGE.encode() in locked.data
    assert client.get("/monitoring").status_code == 302

    result = app.test_cli_runner().invoke(args=["users", "unlock", "ops"])
    assert result.exit_code == 0 and "ops unlocked" in result.output
    assert sign_in(client, secret, addr="10.0.0.5").status_code == 302
    records = list(app.extensions["onsite.audit"].records())
    actions = [r["action"] for r in records]
    assert actions.count("auth.login_failed") == 3
    assert actions.count("auth.account_locked") == 1 and actions.count("auth.login_locked") == 1
    (unlock,) = [r for r in records if r["action"] == "user.unlock"]
    assert unlock["actor"] == {"kind": "cli", "id": "cli"} and unlock["target"] == {"user": "ops"}
    assert actions.index("user.unlock") < actions.index("auth.login")


def test_an_unknown_username_is_locked_the_same_way(settings) -> None:  # type: ignore[no-untyped-def]
    app = create_app(settings.replace(login_lockout_failures=2))
    secret = make_user(app)
    client = app.test_client()
    pages = [sign_in(client, secret, username="nobody", addr=f"10.0.1.{i}") for i in (1, 2, 3)]
    assert [p.status_code for p in pages] == [401, 403, 403]
    assert all(LOCKED_MESSAGE.encode() in p.data for p in pages[1:])
    known = [sign_in(client, secret, password="wrong password!", addr=f"10.0.2.{i}") for i in (1, 2)]
    assert [p.status_code for p in known] == [401, 403]
    assert _error(pages[1].data) == _error(known[1].data)


def test_a_successful_login_forgets_the_failures(settings) -> None:  # type: ignore[no-untyped-def]
    app = create_app(settings.replace(login_lockout_failures=3))
    secret = make_user(app)
    client = app.test_client()
    wrong = {"password": "wrong password!"}
    statuses = [sign_in(client, secret, **wrong).status_code for _ in range(2)]
    statuses.append(sign_in(client, secret).status_code)
    statuses += [sign_in(client, secret, **wrong).status_code for _ in range(2)]
    assert statuses == [401, 401, 302, 401, 401]


def test_unlocking_an_account_that_is_not_locked_says_so(ops) -> None:  # type: ignore[no-untyped-def]
    app, _ = ops
    result = app.test_cli_runner().invoke(args=["users", "unlock", "ops"])
    assert result.exit_code == 1 and "ops is not locked" in result.output


def _error(page: bytes) -> bytes:
    match = re.search(rb'data-testid="login-error">([^<]*)<', page)
    assert match is not None
    return match.group(1)
