"""Tampered stores: a merchant's stored values replaced by bytes this app never writes.

The stores treat such a value as the store being unavailable (``StoreCorrupt``, logged with
its key and never its value): renders keep the last good configuration, the frame shell and
the readiness check answer as for a Redis fault instead of an HTML 500, and the console
lists the other merchants beside the damaged one.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
import redis

from bff.attribution.keys import visit_dimensions_key
from bff.audit.log import RECORDS_KEY
from bff.store import keys
from bff.store.config_version_watch import announce_config_change
from bff.store.merchant_documents import MerchantDocumentStore
from bff.store.profiles import UNREADABLE_VALUE
from tests.console.conftest import signed_in
from tests.demo_render import demo_render_call

GARBAGE = b"\xff{not what the app wrote"


def render(client: Any, session: str) -> dict[str, Any]:
    response = client.post("/rpc", json=demo_render_call(session))
    assert response.status_code == 200
    return response.get_json()  # type: ignore[no-any-return]


def corrupt_logs(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    """The ``store.corrupt`` lines logged so far (JSON lines, as in production)."""
    messages = [record.getMessage() for record in caplog.records]
    lines = [json.loads(message) for message in messages if "store.corrupt" in message]
    return [line for line in lines if line["event"] == "store.corrupt"]


def test_a_damaged_merchant_document_keeps_the_last_good_configuration(
    client: Any, redis_client: redis.Redis, caplog: pytest.LogCaptureFixture
) -> None:
    assert render(client, "a" * 32)["result"]["kind"] == "badge"  # the configuration is cached
    redis_client.set(keys.merchant_key("demo"), GARBAGE)
    redis_client.incr(keys.config_version_key("demo"))  # as a write would: the renders reload
    announce_config_change(redis_client, "demo")
    answer = render(client, "b" * 32)
    assert answer["result"]["kind"] == "badge"
    assert {entry["key"] for entry in corrupt_logs(caplog)} == {keys.merchant_key("demo")}
    assert "not what" not in caplog.text  # the value is never logged


@pytest.mark.parametrize("path", ["/frame/placement?client_id=demo", "/readyz"])
def test_a_damaged_version_or_document_is_a_store_fault_not_a_500(
    app: Any, redis_client: redis.Redis, caplog: pytest.LogCaptureFixture, path: str
) -> None:
    client = app.test_client()  # a fresh worker: nothing cached
    for key in (keys.config_version_key("demo"), keys.merchant_key("demo")):
        saved = redis_client.dump(key)
        redis_client.set(key, GARBAGE)
        caplog.clear()
        response = client.get(path)
        assert response.status_code == 503, (key, response.status_code)
        assert {entry["key"] for entry in corrupt_logs(caplog)} == {key}
        redis_client.delete(key)
        redis_client.restore(key, 0, saved)
    assert client.get(path).status_code == 200


def test_the_console_lists_the_other_merchants_beside_a_damaged_one(
    app: Any, redis_client: redis.Redis
) -> None:
    admin = signed_in(app, "admin")
    documents = MerchantDocumentStore(redis_client)
    other = {**documents.current("demo"), "client_id": "other-shop", "name": "Other shop"}  # type: ignore[dict-item]
    for field in ("version", "updated_at", "updated_by"):
        other.pop(field, None)
    documents.save(other, {"type": "test", "id": "t"}, "2026-12-06T00:00:00Z")
    redis_client.set(keys.merchant_key("demo"), GARBAGE)
    page = admin.get("/console")
    assert page.status_code == 200
    assert b"Other shop" in page.data
    assert b"unreadable: see the server log" in page.data
    settings = admin.get("/console/m/demo/settings")
    assert settings.status_code == 503  # its own pages: a store fault, which a retry will not mend
    assert b"cannot be read back" in settings.data


def test_a_damaged_history_entry_is_left_out(
    app: Any, redis_client: redis.Redis, caplog: pytest.LogCaptureFixture
) -> None:
    documents = MerchantDocumentStore(redis_client)
    current = documents.current("demo")
    assert current is not None
    renamed = {k: v for k, v in current.items() if k not in ("version", "updated_at", "updated_by")}
    documents.save({**renamed, "name": "Renamed"}, {"type": "test", "id": "t"}, "2026-12-06T00:00:00Z")
    history_key = keys.merchant_history_key("demo")
    redis_client.lpush(history_key, GARBAGE)
    history = documents.history("demo")
    assert [doc["name"] for doc in history] == [current["name"]]
    assert [entry["key"] for entry in corrupt_logs(caplog)] == [history_key]


def test_a_tampered_rate_limit_counter_refuses_the_write_as_unavailable(
    client: Any, redis_client: redis.Redis
) -> None:
    body = {"jsonrpc": "2.0", "id": 1, "method": "consent.update",
            "params": {"client_id": "demo", "session_id": "a" * 32, "personalization": True}}  # fmt: skip
    assert "result" in client.post("/rpc/collect", json=body).get_json()
    counters = redis_client.keys("LIMITS:LIMITER/consent.update/*")
    assert counters
    for counter in counters:
        redis_client.set(counter, GARBAGE)
    answer = client.post("/rpc/collect", json=body).get_json()
    assert answer["error"]["code"] == -32002  # retry later, not -32603


def test_a_tampered_sign_in_counter_is_a_503_page(app: Any, redis_client: redis.Redis) -> None:
    client = app.test_client()
    page = client.get("/console/login")
    token = page.data.split(b'name="csrf_token" value="')[1].split(b'"')[0].decode()
    form = {"username": "nobody", "password": "x", "code": "000000", "csrf_token": token}
    client.post("/console/login", data=form)  # creates the address's sign-in counter
    for counter in redis_client.keys("LIMITS:LIMITER/monitoring.login/*"):
        redis_client.set(counter, GARBAGE)
    assert client.post("/console/login", data=form).status_code == 503


def test_an_audit_log_key_replaced_by_another_type_fails_verification(
    app: Any, redis_client: redis.Redis
) -> None:
    audit = app.extensions["onsite.audit"]
    redis_client.delete(RECORDS_KEY)
    redis_client.set(RECORDS_KEY, GARBAGE)
    verdict = audit.verify()
    assert not verdict.ok
    assert "holds a string, not the list of records" in verdict.reason


def test_an_unreadable_visit_record_loses_no_event(client: Any, redis_client: redis.Redis) -> None:
    visit = "e" * 32
    redis_client.set(visit_dimensions_key("demo", visit), GARBAGE)
    event = {"id": "00000000-0000-4000-8000-000000000001", "type": "impression", "client_id": "demo",
             "placement_key": "credit-badge", "ts": int(time.time() * 1000), "session_id": visit,
             "page_url": "http://localhost:5000/demo", "amount": 9900, "currency": "GBP",
             "locale": "en-GB"}  # fmt: skip
    headers = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36"}
    body = {"jsonrpc": "2.0", "id": 1, "method": "events.track", "params": {"events": [event]}}
    answer = client.post("/rpc/collect", json=body, headers=headers).get_json()
    assert answer["result"]["accepted"] == 1, answer


def test_an_export_shows_an_unreadable_value_beside_the_rest(
    client: Any, redis_client: redis.Redis, token_for: Any, api_key: str
) -> None:
    visit = "b" * 32
    call = demo_render_call(visit)
    call["params"] |= {"consent": {"personalization": True}, "customer_token": token_for("demo-anna")}
    assert client.post("/rpc", json=call).get_json()["result"]["kind"] == "badge"
    client.application.extensions["onsite.renderer"].writes.drain()
    session_key = keys.session_key("demo", visit)
    assert redis_client.exists(session_key)
    redis_client.set(session_key, GARBAGE)
    export = {"jsonrpc": "2.0", "id": 1, "method": "profiles.export",
              "params": {"client_id": "demo", "customer_ref": "demo-anna"}}  # fmt: skip
    answer = client.post("/rpc", json=export, headers={"Authorization": f"Bearer {api_key}"}).get_json()
    exported = answer["result"]
    assert exported["profile"]["first_name"] == "Anna"
    assert UNREADABLE_VALUE in exported["sessions"][visit].values()
