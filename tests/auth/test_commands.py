"""``flask --app bff users set-password|set-role`` (bff/auth/commands.py): the change is stored,
audited, and ends every dashboard session of that user (and of nobody else)."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from bff.auth.users import UserStore
from tests.monitoring.test_dashboard import PASSWORD, csrf_of, make_user
from tests.monitoring.test_dashboard_login import sign_in

NEW_PASSWORD = "another long password"


def audited(app, action: str) -> list[dict]:  # type: ignore[no-untyped-def,type-arg]
    return [r for r in app.extensions["onsite.audit"].records() if r["action"] == action]


def test_set_password_ends_all_of_the_users_sessions(app) -> None:  # type: ignore[no-untyped-def]
    ops_secret, ana_secret = make_user(app), make_user(app, "ana", "analyst")
    laptop, phone, ana = app.test_client(), app.test_client(), app.test_client()
    assert sign_in(laptop, ops_secret).status_code == 302
    assert sign_in(phone, ops_secret, window=1).status_code == 302
    assert sign_in(ana, ana_secret, username="ana").status_code == 302

    result = app.test_cli_runner().invoke(
        args=["users", "set-password", "ops"], input=f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n"
    )
    assert result.exit_code == 0, result.output
    assert "2 dashboard session(s) ended" in result.output
    assert laptop.get("/monitoring").status_code == 302
    assert phone.get("/monitoring/api/overview").status_code == 401
    assert ana.get("/monitoring").status_code == 200
    users: UserStore = app.extensions["onsite.users"]
    user = users.get("ops")
    assert user is not None and PasswordHasher().verify(user.password_hash, NEW_PASSWORD)
    (record,) = audited(app, "user.set_password")
    assert record["target"] == {"user": "ops"} and record["details"] == {"sessions_ended": 2}
    assert NEW_PASSWORD not in str(record)


def test_set_role_ends_the_sessions_and_the_next_login_has_the_new_role(app) -> None:  # type: ignore[no-untyped-def]
    secret = make_user(app, "ana", "analyst")
    client = app.test_client()
    assert sign_in(client, secret, username="ana").status_code == 302
    ack = "/monitoring/api/alerts/" + "0" * 32 + "/ack"
    token = csrf_of(client.get("/monitoring").data)
    assert client.post(ack, headers={"X-CSRF-Token": token}).status_code == 403  # analysts read only

    result = app.test_cli_runner().invoke(args=["users", "set-role", "ana", "admin"])
    assert result.exit_code == 0, result.output
    assert "ana is now admin; 1 dashboard session(s) ended" in result.output
    assert client.get("/monitoring").status_code == 302
    assert sign_in(client, secret, username="ana", window=1).status_code == 302
    token = csrf_of(client.get("/monitoring").data)
    assert client.post(ack, headers={"X-CSRF-Token": token}).status_code == 404  # allowed; no such alert
    (record,) = audited(app, "user.set_role")
    assert record["details"] == {"role": "admin", "previous": "analyst", "sessions_ended": 1}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["set-password", "nobody"], "no user 'nobody'"),
        (["set-password", "ops"], "at least 12 characters"),
        (["set-role", "nobody", "admin"], "no user 'nobody'"),
        (["set-role", "ops", "merchant_admin"], "needs --merchant"),
        (["set-role", "ops", "root"], "'root' is not one of"),
    ],
)
def test_bad_changes_are_refused_and_end_no_session(app, args: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    assert sign_in(client, make_user(app)).status_code == 302
    password = PASSWORD if args[1] == "nobody" else "short"
    result = app.test_cli_runner().invoke(args=["users", *args], input=f"{password}\n{password}\n")
    assert result.exit_code != 0 and message in result.output
    assert client.get("/monitoring").status_code == 200
    assert app.extensions["onsite.users"].get("ops").role == "admin"
