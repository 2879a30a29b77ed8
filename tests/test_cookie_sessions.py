"""Cookie sessions are opened only when the request carries the cookie (bff/cookie_sessions.py)."""

from __future__ import annotations

from typing import Any

from flask.sessions import SecureCookieSessionInterface

from bff.cookie_sessions import LazyCookieSessionInterface
from bff.monitoring.dashboard import ROLE_KEY, USER_KEY
from tests.demo_render import demo_render_call
from tests.monitoring.test_dashboard import log_in, make_user


class CountingSessions(LazyCookieSessionInterface):
    """The app's interface, counting the signing serializers it builds."""

    built = 0

    def get_signing_serializer(self, app: Any) -> Any:
        self.built += 1
        return super().get_signing_serializer(app)


def test_the_app_uses_the_lazy_interface(app) -> None:  # type: ignore[no-untyped-def]
    assert isinstance(app.session_interface, LazyCookieSessionInterface)


def test_a_render_without_a_cookie_builds_no_serializer_and_sets_no_cookie(app) -> None:  # type: ignore[no-untyped-def]
    app.session_interface = counting = CountingSessions()
    response = app.test_client().post("/rpc", json=demo_render_call("s" * 32))
    assert response.json["result"]["kind"] == "badge"
    assert counting.built == 0
    assert "Set-Cookie" not in response.headers


def test_a_login_still_signs_and_a_later_request_still_verifies(app) -> None:  # type: ignore[no-untyped-def]
    app.session_interface = counting = CountingSessions()
    client = app.test_client()
    client.totp = make_user(app)
    assert log_in(client).status_code == 302
    assert client.get_cookie("session") is not None
    assert client.get("/monitoring").status_code == 200
    assert counting.built >= 2  # signed at login, verified on the page


def test_a_forged_cookie_is_an_empty_session(app) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    other_key = SecureCookieSessionInterface().get_signing_serializer(_app_with_key("another key"))
    assert other_key is not None
    client.set_cookie("session", other_key.dumps({USER_KEY: "ops", ROLE_KEY: "admin"}))
    response = client.get("/monitoring")
    assert response.status_code == 302
    assert "/monitoring/login" in response.headers["Location"]


def _app_with_key(key: str) -> Any:
    """A stand-in app with ``key`` as its secret: what a forger without ours could sign with."""
    from flask import Flask

    other = Flask("forger")
    other.secret_key = key
    return other
