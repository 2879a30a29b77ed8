"""Dashboard users (Argon2id + TOTP) and API key revocation."""

from __future__ import annotations

import datetime as dt

import pyotp
import pytest

from bff.auth.users import UserStore, provisioning_uri

NOW = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)
PASSWORD = "a long enough password"


def test_passwords_are_hashed_with_argon2(redis_client) -> None:  # type: ignore[no-untyped-def]
    user = UserStore(redis_client).create("ana", "analyst", PASSWORD, NOW)
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD.encode() not in b"".join(redis_client.hgetall("onsite:{auth}:users").values())
    assert provisioning_uri(user).startswith("otpauth://totp/")


@pytest.mark.parametrize(
    ("username", "role", "password", "merchant", "message"),
    [
        ("Bad Name", "analyst", PASSWORD, None, "username"),
        ("ana", "root", PASSWORD, None, "role"),
        ("ana", "analyst", "short", None, "12 characters"),
        ("ana", "merchant_admin", PASSWORD, None, "merchant"),
        ("ana", "analyst", PASSWORD, "demo", "merchant"),
    ],
)
def test_create_validates(redis_client, username, role, password, merchant, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=message):
        UserStore(redis_client).create(username, role, password, NOW, merchant)


def test_authenticate_needs_password_and_a_fresh_code(redis_client) -> None:  # type: ignore[no-untyped-def]
    store = UserStore(redis_client)
    user = store.create("ops", "admin", PASSWORD, NOW)
    code = pyotp.TOTP(user.totp_secret).at(NOW)
    assert store.authenticate("ops", "wrong", code, NOW) is None
    assert store.authenticate("ops", PASSWORD, "123", NOW) is None
    assert store.authenticate("nobody", PASSWORD, code, NOW) is None
    assert store.authenticate("ops", PASSWORD, code, NOW).username == "ops"  # type: ignore[union-attr]
    assert store.authenticate("ops", PASSWORD, code, NOW) is None  # replay
    later = NOW + dt.timedelta(minutes=5)
    assert store.authenticate("ops", PASSWORD, code, later) is None  # expired


def test_users_cli(app) -> None:  # type: ignore[no-untyped-def]
    result = app.test_cli_runner().invoke(
        args=["users", "create", "ana", "--role", "analyst"], input=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert result.exit_code == 0, result.output
    assert "otpauth://totp/" in result.output
    assert app.extensions["onsite.users"].get("ana").role == "analyst"


def test_revoked_keys_stop_working(app, admin_rpc, api_key) -> None:  # type: ignore[no-untyped-def]
    store = app.extensions["onsite.api_keys"]
    other, record = store.create("demo", "merchant_admin", "to revoke", NOW)
    assert admin_rpc("campaigns.list", {}, key=other)["result"]
    revoked = admin_rpc("keys.revoke", {"key_id": record.key_id})["result"]
    assert revoked["key_id"] == record.key_id and revoked["revoked_at"]
    assert admin_rpc("campaigns.list", {}, key=other)["error"]["code"] == -32003
    _foreign, foreign_record = store.create("other-shop", "merchant_admin", "", NOW)
    assert admin_rpc("keys.revoke", {"key_id": foreign_record.key_id})["error"]["code"] == -32004
    assert admin_rpc("keys.revoke", {"key_id": "xyz"})["error"]["code"] == -32602


def test_auditor_reads_and_verifies_the_log(app, admin_rpc) -> None:  # type: ignore[no-untyped-def]
    secret, _ = app.extensions["onsite.api_keys"].create("*", "auditor", "", NOW)
    admin_rpc("campaigns.list", {})
    app.extensions["onsite.audit"].append("test.event", {"kind": "cli", "id": "t"})
    page = admin_rpc("audit.records", {"limit": 10}, key=secret)["result"]
    assert page["records"][-1]["action"] == "test.event"
    assert admin_rpc("audit.verify", {}, key=secret)["result"]["ok"] is True
    assert admin_rpc("campaigns.list", {}, key=secret)["error"]["code"] == -32003


def test_key_scopes_are_checked(app) -> None:  # type: ignore[no-untyped-def]
    store = app.extensions["onsite.api_keys"]
    with pytest.raises(ValueError, match=r"scope|merchant"):
        store.create("*", "merchant_admin", "", NOW)
    with pytest.raises(ValueError):
        store.create("demo", "auditor", "", NOW)
