"""The lean dispatch of ``placements.render`` answers byte for byte like flask-jsonrpc.

Two apps on two databases of the same real redis-server, seeded alike: one with the lean
path (the default), one with ``rpc_lean_render=False``. Every request goes to both, in
the same order, so sticky state evolves identically; status, content type and body
bytes must match, and the lean app must not have used the library for eligible calls.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import redis

from bff import create_app
from bff.rpc.endpoint import ScrubbingSite
from bff.settings import Settings
from bff.store.embedded import EmbeddedRedis

BASE = {"client_id": "demo", "placement_key": "credit-badge", "locale": "en-GB", "purchase_amount": 9900}


def call(params: Any, request_id: Any = 1, **extra: Any) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": request_id, "method": "placements.render", "params": params, **extra}


def session(n: int) -> str:
    return f"{n:032x}"


LEAN_CASES: list[tuple[str, Any]] = [
    ("by name", call({**BASE, "session_id": session(1)})),
    ("same session again (sticky)", call({**BASE, "session_id": session(1), "purchase_amount": 12000})),
    ("by position", call(["demo", "credit-badge", "de-DE", 11900, session(2)])),
    ("every option", call({**BASE, "session_id": session(3), "currency": "GBP", "country": "GB",
                           "theme": "default", "view": "interstitial", "page_type": "cart", "returning": True,
                           "customer_ref": "demo-anna", "consent": {"personalization": True}})),
    ("interstitial auto-open", call({**BASE, "placement_key": "learn-more", "view": "interstitial",
                                     "session_id": session(4)})),
    ("string id", call({**BASE, "session_id": session(5)}, "req-é-1")),
    ("null id", call({**BASE, "session_id": session(6)}, None)),
    ("float id", call({**BASE, "session_id": session(7)}, 1.5)),
    ("long float id", call({**BASE, "session_id": session(8)}, -1.25e-300)),
    ("unknown params are ignored", call({**BASE, "session_id": session(9), "nonsense": [1, 2]})),
    ("null param means absent", call({**BASE, "session_id": session(10), "currency": None})),
    ("long position list", call(["demo", "credit-badge", "en-GB", 9900, session(11), *([None] * 20)])),
    ("unknown placement: empty", call({**BASE, "placement_key": "nowhere", "session_id": session(12)})),
    ("below the minimum: empty", call({**BASE, "purchase_amount": 1, "session_id": session(13)})),
    ("missing session_id", call(BASE)),
    ("bad locale", call({**BASE, "locale": "english", "session_id": session(14)})),
    ("negative amount", call({**BASE, "purchase_amount": -5, "session_id": session(15)})),
    ("amount as a string", call({**BASE, "purchase_amount": "9900", "session_id": session(16)})),
    ("boolean amount", call({**BASE, "purchase_amount": True, "session_id": session(17)})),
    ("unknown client", call({**BASE, "client_id": "nobody", "session_id": session(18)})),
    ("no currency for the locale", call({**BASE, "locale": "ja-JP", "session_id": session(19)})),
    ("empty params", call({})),
    ("no params member", {"jsonrpc": "2.0", "id": 3, "method": "placements.render"}),
    ("short position list", call(["demo"])),
    ("hostile customer ref", call({**BASE, "session_id": session(20), "customer_ref": "<script>",
                                   "consent": {"personalization": True}})),
]  # fmt: skip

LIBRARY_CASES: list[tuple[str, Any]] = [
    ("params null", call(None)),
    ("params a string", call("demo")),
    ("notification", {"jsonrpc": "2.0", "method": "placements.render",
                      "params": {**BASE, "session_id": session(30)}}),
    ("JSON-RPC 1.0", call({**BASE, "session_id": session(31)}, jsonrpc="1.0")),
    ("batch", [call({**BASE, "session_id": session(32)}, 1), call({**BASE, "session_id": session(33)}, 2)]),
    ("another method", {"jsonrpc": "2.0", "id": 1, "method": "placements.nothing", "params": {}}),
    # Invalid ids (-32600, bff/rpc/envelope.py): the lean path leaves them to the library.
    ("object id", call({**BASE, "session_id": session(34)}, {"n": 1})),
    ("boolean id", call({**BASE, "session_id": session(35)}, True)),
    ("long string id", call({**BASE, "session_id": session(36)}, "x" * 65)),
]  # fmt: skip


def make_twin_apps(redis_url: str, tmp_path: Path, dbs: tuple[int, int]) -> tuple[Any, Any]:
    """(lean app, plain app: ``rpc_lean_render=False``), each on its own emptied database of
    ``redis_url``, with one server key and one frozen clock, so that the visit tokens in
    their answers match too."""
    apps = []
    now = dt.datetime.now(dt.UTC)
    for db, lean in zip(dbs, (True, False), strict=True):
        redis.Redis.from_url(f"{redis_url}?db={db}").flushdb()
        settings = Settings(redis_url=f"{redis_url}?db={db}", var_dir=tmp_path / f"var{db}",
                            testing=True, log_level="warning", rpc_lean_render=lean,
                            secret_key="lean-dispatch-test-" + "k" * 32)  # fmt: skip
        app = create_app(settings)
        app.extensions["onsite.renderer"].clock = lambda: now
        apps.append(app)
    return apps[0], apps[1]


@pytest.fixture
def twin_apps(redis_server: EmbeddedRedis, tmp_path: Path):  # type: ignore[no-untyped-def]
    """(lean app, library app): see make_twin_apps."""
    return make_twin_apps(redis_server.url, tmp_path, (1, 2))


@pytest.fixture
def library_dispatches(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The methods that went through flask-jsonrpc's dispatch (either app)."""
    seen: list[str] = []
    original = ScrubbingSite.dispatch

    def counting(self: ScrubbingSite, req_json: dict[str, Any]) -> Any:
        seen.append(req_json.get("method", "?"))
        return original(self, req_json)

    monkeypatch.setattr(ScrubbingSite, "dispatch", counting)
    return seen


def post_both(twin_apps: Any, body: bytes, content_type: str = "application/json") -> tuple[Any, Any]:
    lean, library = (
        app.test_client().post("/rpc", data=body, content_type=content_type) for app in twin_apps
    )
    return lean, library


def assert_same(lean: Any, library: Any) -> None:
    assert lean.status_code == library.status_code
    assert sorted(lean.headers.items()) == sorted(library.headers.items())
    assert lean.get_data() == library.get_data()


def test_lean_calls_match_the_library_byte_for_byte(twin_apps, library_dispatches) -> None:  # type: ignore[no-untyped-def]
    lean_app, library_app = twin_apps
    outcomes = set()
    for name, body in LEAN_CASES:
        encoded = json.dumps(body, ensure_ascii=False).encode()
        before = len(library_dispatches)
        lean = lean_app.test_client().post("/rpc", data=encoded, content_type="application/json")
        assert len(library_dispatches) == before, f"{name}: the lean app used the library"
        library = library_app.test_client().post("/rpc", data=encoded, content_type="application/json")
        assert len(library_dispatches) == before + 1, f"{name}: the library app did not use the library"
        assert_same(lean, library)
        payload = lean.get_json()
        outcomes.add(payload["result"]["kind"] if "result" in payload else payload["error"]["code"])
    # The cases cover results of every kind and the error codes the method can give.
    assert {"badge", "interstitial", "empty", -32602, -32001} <= outcomes


def test_other_shapes_take_the_library_path_on_both(twin_apps, library_dispatches) -> None:  # type: ignore[no-untyped-def]
    for name, body in LIBRARY_CASES:
        lean, library = post_both(twin_apps, json.dumps(body).encode())
        assert_same(lean, library)
        assert name and lean.status_code in (200, 204)
    for raw, content_type in [(b'{"jsonrpc": "2.0", "id": 1, "method": "placements.render", "params": {',
                               "application/json"),
                              (json.dumps(call(BASE)).encode(), "text/plain"),
                              (json.dumps(call(BASE)).replace('"id": 1', '"id": NaN').encode(),
                               "application/json"),
                              (b"[" * 100_000, "application/json")]:  # fmt: skip
        assert_same(*post_both(twin_apps, raw, content_type))


def test_an_oversized_body_is_413_on_both(twin_apps) -> None:  # type: ignore[no-untyped-def]
    body = json.dumps(call({**BASE, "session_id": session(40), "pad": "x" * (1024 * 1024)})).encode()
    lean, library = post_both(twin_apps, body)
    assert lean.status_code == 413
    assert_same(lean, library)


def test_over_tls_both_send_hsts_and_a_charset_parameter_still_takes_the_lean_path(  # type: ignore[no-untyped-def]
    twin_apps, library_dispatches
) -> None:
    body = json.dumps(call({**BASE, "session_id": session(50)})).encode()
    lean, library = (
        app.test_client().post("/rpc", data=body, content_type="application/json; charset=utf-8",
                               base_url="https://localhost")
        for app in twin_apps
    )  # fmt: skip
    assert library_dispatches == ["placements.render"]  # the library app's call only
    assert lean.headers["Strict-Transport-Security"].startswith("max-age=")
    assert_same(lean, library)


def test_an_unexpected_failure_is_an_internal_error_on_both(twin_apps, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def broken(*_: Any) -> Any:
        raise RuntimeError("bug")

    for app in twin_apps:
        monkeypatch.setattr(app.extensions["onsite.renderer"], "render", broken)
    lean, library = post_both(twin_apps, json.dumps(call({**BASE, "session_id": session(51)})).encode())
    assert lean.get_json()["error"]["code"] == -32603
    assert "bug" not in lean.get_data(as_text=True)
    assert_same(lean, library)


def test_the_lean_path_counts_the_request_and_the_call(twin_apps) -> None:  # type: ignore[no-untyped-def]
    from bff.metrics import HTTP_REQUESTS, RPC_CALLS

    def counted() -> tuple[float, float]:
        http = HTTP_REQUESTS.labels("/rpc", "200")._value.get()
        rpc = RPC_CALLS.labels("placements.render", "ok")._value.get()
        return http, rpc

    before = counted()
    twin_apps[0].test_client().post("/rpc", json=call({**BASE, "session_id": session(52)}))
    assert counted() == (before[0] + 1, before[1] + 1)


@pytest.mark.parametrize("length", ["999", "5", "²", "-1", "+60", " 60", "1e3", "0", "99999999999999999999"])
def test_a_content_length_that_lies_or_is_not_a_number_is_answered_alike(  # type: ignore[no-untyped-def]
    twin_apps, length: str
) -> None:
    body = json.dumps(call({**BASE, "session_id": session(53)})).encode()
    lean, library = (
        app.test_client().post("/rpc", data=body, content_type="application/json",
                               environ_overrides={"CONTENT_LENGTH": length})
        for app in twin_apps
    )  # fmt: skip
    assert lean.status_code < 500
    assert_same(lean, library)
    if length == "999":  # the body ended early: a parse error, not an internal one
        assert lean.get_json()["error"]["code"] == -32700


def test_a_body_is_parsed_once_whichever_path_answers_it(twin_apps, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from bff.rpc import endpoint, envelope, lean_render

    parsed: list[int] = []

    def counting(raw: bytes | str) -> Any:
        parsed.append(len(raw))
        return envelope.parse_body(raw)

    monkeypatch.setattr(lean_render, "parse_body", counting)
    monkeypatch.setattr(endpoint, "parse_body", counting)
    client = twin_apps[0].test_client()
    bodies = [
        call({**BASE, "session_id": session(54)}),  # answered in front of Flask
        {"jsonrpc": "2.0", "id": 1, "method": "placements.nothing", "params": {}},  # the library's
        [call({**BASE, "session_id": session(55)})],  # a batch: the library's
    ]
    for body in bodies:
        parsed.clear()
        assert client.post("/rpc", json=body).status_code == 200
        assert len(parsed) == 1, body
    parsed.clear()
    client.post("/rpc", data=b'{"jsonrpc": "2.0", "id": 1, "method"', content_type="application/json")
    assert len(parsed) == 1  # a body that is not JSON is refused without a second parse either
