"""The keys page: API keys and identity secrets, shown once, revoked, audited, scoped."""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Any

import pytest

from tests.console.conftest import csrf_of, post_form

PAGE = "/console/m/demo/keys"
API_KEY = re.compile(r"osk_[A-Za-z0-9_-]{43}")
IDENTITY_SECRET = re.compile(r"osi_[A-Za-z0-9_-]{43}")


def audit(app) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    return list(app.extensions["onsite.audit"].records())


def test_an_api_key_is_shown_once_works_and_is_listed_without_its_secret(  # type: ignore[no-untyped-def]
    app, client, merchant_console, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    response = post_form(merchant_console, PAGE, PAGE + "/api", {"label": "shop server <b>"})
    assert response.status_code == 200  # the secret is in this answer, never behind a redirect
    assert response.headers["Cache-Control"] == "no-store"
    secret = API_KEY.search(response.data.decode())
    assert secret is not None and b"never shown again" in response.data
    record = app.extensions["onsite.api_keys"].authenticate(secret.group(0), dt.datetime.now(dt.UTC))
    assert record is not None and record.client_id == "demo" and record.role == "merchant_admin"
    again = merchant_console.get(PAGE).data.decode()
    assert secret.group(0) not in again and API_KEY.search(again) is None
    assert f'data-key-id="{record.key_id}"' in again and "shop server &lt;b&gt;" in again
    assert record.key_id in again and "merchant_admin" in again
    entry = audit(app)[-1]
    assert entry["action"] == "api_key.create" and entry["target"] == {
        "merchant": "demo",
        "key_id": record.key_id,
    }
    assert entry["actor"] == {"kind": "user", "id": merchant_console.username}
    assert secret.group(0) not in str(audit(app)) and secret.group(0) not in caplog.text
    # It works on the RPC, for its own merchant.
    body = {"jsonrpc": "2.0", "id": 1, "method": "merchants.get", "params": {}}
    answer = client.post("/rpc", json=body, headers={"Authorization": f"Bearer {secret.group(0)}"}).get_json()
    assert answer["result"]["merchant"]["client_id"] == "demo"


def test_revoking_a_key_ends_it_and_is_audited(app, merchant_console) -> None:  # type: ignore[no-untyped-def]
    created = post_form(merchant_console, PAGE, PAGE + "/api", {"label": "old"}).data.decode()
    secret = API_KEY.search(created).group(0)  # type: ignore[union-attr]
    key_id = re.search(r'name="key_id" value="([0-9a-f]{12})"', created).group(1)  # type: ignore[union-attr]
    response = post_form(merchant_console, PAGE, PAGE + "/api/revoke", {"key_id": key_id})
    assert response.status_code == 303 and secret not in response.location
    assert app.extensions["onsite.api_keys"].authenticate(secret, dt.datetime.now(dt.UTC)) is None
    page = merchant_console.get(response.location).data.decode()
    assert f"API key {key_id} revoked" in page and "revoked 20" in page
    assert audit(app)[-1]["action"] == "api_key.revoke" and audit(app)[-1]["target"]["key_id"] == key_id


def test_keys_of_another_merchant_are_out_of_reach(app, merchant_console) -> None:  # type: ignore[no-untyped-def]
    store = app.extensions["onsite.api_keys"]
    now = dt.datetime.now(dt.UTC)
    theirs_secret, theirs = store.create("other-shop", "merchant_admin", "theirs", now)
    _, global_key = store.create("*", "admin", "ops", now)
    page = merchant_console.get(PAGE).data.decode()
    assert theirs.key_id not in page and global_key.key_id not in page and "theirs" not in page
    for key_id in (theirs.key_id, global_key.key_id, "zz", "0" * 12):
        response = post_form(merchant_console, PAGE, PAGE + "/api/revoke", {"key_id": key_id})
        assert response.status_code == 404
    assert store.authenticate(theirs_secret, now) is not None
    documents = app.extensions["onsite.merchants"].documents
    other = {
        "client_id": "other-shop",
        "name": "O",
        "allowed_origins": [],
        "currencies": {},
        "placements": {},
    }
    documents.save(other, {"kind": "test", "id": "t"}, "2026-12-06T00:00:00+00:00", 0)
    token = csrf_of(merchant_console.get(PAGE).data)
    for path in ("", "/api", "/api/revoke", "/identity", "/identity/revoke"):
        url = "/console/m/other-shop/keys" + path
        data = {"csrf_token": token, "label": "x", "key_id": theirs.key_id, "action": "create"}
        response = merchant_console.open(url, method="POST" if path else "GET", data=data)
        assert response.status_code == 404, url
    assert store.authenticate(theirs_secret, now) is not None
    assert [k.key_id for k in store.list("other-shop")] == [theirs.key_id]
    assert app.extensions["onsite.identity_secrets"].list("other-shop") == []


def test_identity_secrets_are_shown_once_rotated_and_revoked(  # type: ignore[no-untyped-def]
    app, admin_console, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    seeded = len(app.extensions["onsite.identity_secrets"].list("demo"))  # the demo shop's own
    first = post_form(admin_console, PAGE, PAGE + "/identity", {"action": "create"})
    assert first.status_code == 200
    secret = IDENTITY_SECRET.search(first.data.decode())
    assert secret is not None and b"never shown again" in first.data
    rotated = post_form(admin_console, PAGE, PAGE + "/identity", {"action": "rotate"})
    assert rotated.status_code == 200 and IDENTITY_SECRET.search(rotated.data.decode()) is not None
    page = admin_console.get(PAGE).data.decode()
    assert IDENTITY_SECRET.search(page) is None and page.count("data-secret-id=") == seeded + 2
    third = post_form(admin_console, PAGE, PAGE + "/identity", {"action": "create"})
    assert (
        third.status_code == 409 and b'id="identity-problem" role="alert"' in third.data
    )  # two active at most
    secret_id = re.search(r'name="secret_id" value="([0-9a-f]+)"', page).group(1)  # type: ignore[union-attr]
    ended = post_form(admin_console, PAGE, PAGE + "/identity/revoke", {"secret_id": secret_id})
    assert ended.status_code == 303 and "osi_" not in ended.location
    assert f"Identity secret {secret_id} revoked" in admin_console.get(ended.location).data.decode()
    actions = [r["action"] for r in audit(app)][-3:]
    assert actions == ["identity_secret.create", "identity_secret.rotate", "identity_secret.revoke"]
    assert all("osi_" not in str(r) for r in audit(app)) and "osi_" not in caplog.text
    unknown = post_form(admin_console, PAGE, PAGE + "/identity/revoke", {"secret_id": "<script>"})
    assert unknown.status_code == 404


@pytest.mark.parametrize("label", ["x" * 101, "tab\there", "new\nline"])
def test_bad_labels_are_refused_and_no_key_is_made(app, merchant_console, label: str) -> None:  # type: ignore[no-untyped-def]
    response = post_form(merchant_console, PAGE, PAGE + "/api", {"label": label})
    assert response.status_code == 400 and b'id="label-problem" role="alert"' in response.data
    assert API_KEY.search(response.data.decode()) is None
    assert app.extensions["onsite.api_keys"].list("demo") == []


def test_a_unicode_label_is_kept(app, merchant_console) -> None:  # type: ignore[no-untyped-def]
    response = post_form(merchant_console, PAGE, PAGE + "/api", {"label": "Kassa — Malmö 🛒"})
    assert response.status_code == 200
    assert [k.label for k in app.extensions["onsite.api_keys"].list("demo")] == ["Kassa — Malmö 🛒"]


def test_forms_without_the_csrf_token_make_and_end_nothing(app, merchant_console) -> None:  # type: ignore[no-untyped-def]
    secrets = app.extensions["onsite.identity_secrets"].list("demo")
    for path in ("/api", "/api/revoke", "/identity", "/identity/revoke"):
        for token in (None, "x" * 43):
            data = {"label": "x", "action": "create", "key_id": "0" * 12, "secret_id": "0" * 12}
            if token:
                data["csrf_token"] = token
            response = merchant_console.post(PAGE + path, data=data)
            assert response.status_code == 400 and b"This form expired" in response.data
    assert app.extensions["onsite.api_keys"].list("demo") == []
    assert app.extensions["onsite.identity_secrets"].list("demo") == secrets


def test_keys_made_before_the_index_are_listed(app, redis_client) -> None:  # type: ignore[no-untyped-def]
    store = app.extensions["onsite.api_keys"]
    _, older = store.create("demo", "merchant_admin", "before", dt.datetime.now(dt.UTC))
    for key in redis_client.scan_iter("onsite:*api-keys*"):
        if key != b"onsite:api-keys":
            redis_client.delete(key)  # as a database from before the per-merchant index
    assert [k.key_id for k in store.list("demo")] == [older.key_id]
    assert store.list("other") == []
