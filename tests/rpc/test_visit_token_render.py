"""Visit tokens through placements.render over real HTTP (a werkzeug server on loopback)
against the real Redis: a valid token spares the state read, and no token that is forged,
tampered, replayed for another visit, expired or from another configuration version ever
changes a decision or what Redis stores."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
import redis
from werkzeug.serving import make_server

from bff.server_key import ServerKey
from bff.store import keys
from bff.store.config_version_watch import announce_config_change
from bff.store.session_decisions import SessionState
from bff.visit_token import LIFETIME_S, VisitTokens
from tests.redis_commands import calls_since, command_calls
from tests.rpc.test_placements_render import params

HTTP_TIMEOUT_S = 10


@pytest.fixture
def base_url(app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The app served over HTTP on a free loopback port; stopped after the test."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    server.timeout = HTTP_TIMEOUT_S
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(HTTP_TIMEOUT_S)


@pytest.fixture
def render(base_url: str, app):  # type: ignore[no-untyped-def]
    """POST one placements.render; returns the result, after the background writes landed."""

    def call(**overrides: Any) -> dict[str, Any]:
        body = {"jsonrpc": "2.0", "id": 1, "method": "placements.render", "params": params(**overrides)}
        request = urllib.request.Request(
            base_url + "/rpc", json.dumps(body).encode(), {"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT_S) as response:
            assert response.status == 200
            reply = json.loads(response.read())
        assert app.extensions["onsite.renderer"].writes.drain()
        assert "result" in reply, reply
        return reply["result"]  # type: ignore[no-any-return]

    return call


def shown(result: dict[str, Any]) -> tuple[str, str, str]:
    return result["campaign_id"], result["variant"], result["lead_option"]


def sessions_by_variant(render) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """One session id per variant of the en-US test campaign (found by rendering)."""
    found: dict[str, str] = {}
    for i in range(200):
        session = f"{i:032x}"
        found.setdefault(render(locale="en-US", session_id=session)["variant"], session)
        if len(found) == 2:
            return found
    raise AssertionError("no two variants")


def stored(client: redis.Redis, session: str) -> Any:
    raw = client.get(keys.session_key("demo", session))
    return json.loads(raw) if raw else None


def test_a_returning_visit_with_its_token_reads_no_state_and_sees_the_same_pick(render, redis_client) -> None:  # type: ignore[no-untyped-def]
    first = render(session_id="a" * 32)
    token = first["visit_token"]
    before = command_calls(redis_client)
    again = render(session_id="a" * 32, purchase_amount=24900, visit_token=token)
    assert shown(again) == shown(first)
    assert again["visit_token"] == token  # echoed: nothing changed
    # No GETEX of the state, no day count, and the configuration version is known fresh
    # (pushed by pub/sub, bff/store/config_version_watch.py): no round trip at all.
    assert calls_since(redis_client, before) == {}
    before = command_calls(redis_client)
    render(session_id="a" * 32, purchase_amount=24900)
    assert calls_since(redis_client, before) == {"get": 1, "getex": 1}


def test_a_token_replayed_for_another_visit_changes_nothing(render, redis_client) -> None:  # type: ignore[no-untyped-def]
    by_variant = sessions_by_variant(render)
    (a_variant, a_session), (b_variant, b_session) = by_variant.items()
    a_token = render(locale="en-US", session_id=a_session)["visit_token"]
    before_state = stored(redis_client, b_session)
    before = command_calls(redis_client)
    replayed = render(locale="en-US", session_id=b_session, visit_token=a_token)
    assert replayed["variant"] == b_variant != a_variant
    assert calls_since(redis_client, before).get("getex") == 1  # the token was ignored
    assert stored(redis_client, b_session) == before_state


def test_forged_and_tampered_tokens_change_nothing(app, render, redis_client) -> None:  # type: ignore[no-untyped-def]
    by_variant = sessions_by_variant(render)
    (a_variant, session), (b_variant, other_session) = by_variant.items()
    real = render(locale="en-US", session_id=session)["visit_token"]
    # What a forger wants this visit to carry: the other visit's pick (the other variant).
    wanted = SessionState.from_json(redis_client.get(keys.session_key("demo", other_session)))
    version = int(redis_client.get(keys.config_version_key("demo")) or 0)
    now = time.time()
    forged = VisitTokens(ServerKey(b"not the server key" * 2)).issue("demo", session, wanted, version, now)
    wanted_payload = app.extensions["onsite.renderer"].tokens.issue("demo", session, wanted, version, now)
    v, kid, _, mac = real.split(".")
    tampered = f"{v}.{kid}.{wanted_payload.split('.')[2]}.{mac}"  # the real MAC, another payload
    before_state = stored(redis_client, session)
    for token in (forged, tampered):
        before = command_calls(redis_client)
        result = render(locale="en-US", session_id=session, visit_token=token)
        assert result["variant"] == a_variant != b_variant
        assert calls_since(redis_client, before).get("getex") == 1  # read from Redis instead
    assert stored(redis_client, session) == before_state


def test_an_expired_token_or_one_of_another_configuration_version_is_ignored(
    app, render, redis_client
) -> None:  # type: ignore[no-untyped-def]
    session = "e" * 32
    token = render(session_id=session)["visit_token"]
    renderer = app.extensions["onsite.renderer"]
    real_clock = renderer.clock
    renderer.clock = lambda: real_clock() + dt.timedelta(seconds=LIFETIME_S + 1)
    before = command_calls(redis_client)
    later = render(session_id=session, visit_token=token)
    assert calls_since(redis_client, before).get("getex") == 1
    assert later["visit_token"] != token  # a fresh one, with a new expiry
    renderer.clock = real_clock
    redis_client.incr(keys.config_version_key("demo"))
    announce_config_change(redis_client, "demo")  # as every configuration write does
    before = command_calls(redis_client)
    render(session_id=session, visit_token=token)
    assert calls_since(redis_client, before).get("getex") == 1


@pytest.mark.parametrize("junk", ["x" * 5000, 12, {"token": "v1"}, "", "v1.1.e30.AAAA", None])
def test_a_token_of_the_wrong_size_or_shape_is_treated_as_missing(render, redis_client, junk: Any) -> None:  # type: ignore[no-untyped-def]
    result = render(session_id="f" * 32, visit_token=junk)
    assert result["kind"] == "badge" and result["visit_token"].startswith("v1.")


def test_a_new_pick_is_never_made_from_the_token_alone(render, redis_client) -> None:  # type: ignore[no-untyped-def]
    session = "9" * 32
    token = render(session_id=session)["visit_token"]
    before = command_calls(redis_client)
    german = render(session_id=session, locale="de-DE", visit_token=token)
    assert german["campaign_id"] == "de-raten"
    assert calls_since(redis_client, before)["getex"] == 1  # a new pick: read Redis, decide again
    assert [p[0] for p in stored(redis_client, session)["picks"]] == ["gb-pay-in-4", "de-raten"]
    assert german["visit_token"] != token


def test_an_identification_is_never_recorded_from_the_token_alone(render, redis_client, token_for) -> None:  # type: ignore[no-untyped-def]
    session = "8" * 32
    token = render(session_id=session)["visit_token"]
    before = command_calls(redis_client)
    consent = {"personalization": True}
    render(session_id=session, visit_token=token, customer_token=token_for("demo-anna"), consent=consent)
    assert calls_since(redis_client, before)["getex"] == 1
    assert stored(redis_client, session)["identified"] is True


def test_an_interstitial_counts_its_auto_opens_in_redis_whatever_token_comes_back(render) -> None:  # type: ignore[no-untyped-def]
    session = "d" * 32
    first = render(session_id=session, placement_key="learn-more", view="interstitial")
    opens = [first["auto_open"]]
    for _ in range(2):
        # The first token replayed: it says no auto-open happened yet.
        again = render(
            session_id=session,
            placement_key="learn-more",
            view="interstitial",
            visit_token=first["visit_token"],
        )
        opens.append(again["auto_open"])
    assert opens == [True, False, False]


def test_a_new_visits_state_is_written_behind_the_reply(render, redis_client) -> None:  # type: ignore[no-untyped-def]
    result = render(session_id="7" * 32)
    assert stored(redis_client, "7" * 32)["picks"] == [
        [result["campaign_id"], result["variant"], result["lead_option"]]
    ]
