"""Visit tokens (bff/visit_token.py): pure, no server; every way a token must be refused."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import pytest

from bff.decisions.decide import Pick
from bff.server_key import ServerKey
from bff.store.session_decisions import SessionState
from bff.visit_token import (
    LIFETIME_S,
    MAX_TOKEN_CHARS,
    ROTATION_S,
    Rejected,
    VisitClaims,
    VisitTokens,
)

KEY = ServerKey(b"k" * 32)
NOW = 1_800_000_000.0
STATE = SessionState((Pick("gb-pay-in-4", "control", "pay_in_4"),), auto_opens=1, identified=True)
VISIT = ("demo", "a" * 32)


def issued(tokens: VisitTokens | None = None, now: float = NOW, state: SessionState = STATE) -> str:
    return (tokens or VisitTokens(KEY)).issue(*VISIT, state, 7, now)


def reason(token: object, client_id: str = "demo", session_id: str = "a" * 32, now: float = NOW) -> str:
    verdict = VisitTokens(KEY).verify(token, client_id, session_id, now)
    assert isinstance(verdict, Rejected), verdict
    return verdict.reason


def resigned(token: str, payload: dict[str, object], key: ServerKey = KEY) -> str:
    """``token`` with another payload and a correct MAC: what only the key holder can make."""
    _, kid, _, _ = token.split(".")
    encoded = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()
    body = f"v1.{kid}.{encoded}"
    mac = hmac.new(
        key.derive(f"visit-token/{kid}"), f"{body}\0{VISIT[0]}\0{VISIT[1]}".encode(), hashlib.sha256
    )
    return body + "." + base64.urlsafe_b64encode(mac.digest()).rstrip(b"=").decode()


def test_a_token_gives_back_the_state_and_version_it_was_issued_for() -> None:
    token = issued()
    assert len(token) < 200
    assert VisitTokens(KEY).verify(token, *VISIT, NOW + LIFETIME_S - 1) == VisitClaims(
        7, int(NOW) + LIFETIME_S, STATE
    )


def test_an_empty_visit_and_a_full_one_both_round_trip() -> None:
    full = SessionState(tuple(Pick(f"campaign-{i:02d}", "variant-a", "pay_in_30") for i in range(8)), 3)
    for state in (SessionState(), full):
        token = issued(state=state)
        assert len(token) <= MAX_TOKEN_CHARS
        claims = VisitTokens(KEY).verify(token, *VISIT, NOW)
        assert isinstance(claims, VisitClaims) and claims.state == state


def test_another_visit_or_merchant_cannot_replay_it() -> None:
    token = issued()
    assert reason(token, session_id="b" * 32) == "bad signature"
    assert reason(token, client_id="other") == "bad signature"


def test_a_tampered_payload_or_mac_is_refused() -> None:
    token = issued()
    version, kid, payload, mac = token.split(".")
    other = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    other["p"] = [["gb-pay-in-4", "variant-b", "pay_in_30"]]
    forged_payload = base64.urlsafe_b64encode(json.dumps(other).encode()).rstrip(b"=").decode()
    assert reason(f"{version}.{kid}.{forged_payload}.{mac}") == "bad signature"
    flipped = ("B" if mac[0] == "A" else "A") + mac[1:]
    assert reason(f"{version}.{kid}.{payload}.{flipped}") == "bad signature"


def test_a_token_signed_with_another_server_key_is_forged() -> None:
    assert reason(issued(VisitTokens(ServerKey(b"x" * 32)))) == "bad signature"


def test_an_expired_token_is_refused() -> None:
    assert reason(issued(), now=NOW + LIFETIME_S) == "expired"


def test_a_token_that_claims_a_longer_life_is_refused_even_with_a_good_mac() -> None:
    long_lived = issued(VisitTokens(KEY, lifetime_s=LIFETIME_S * 10))
    assert reason(long_lived) == "expires too far ahead"


@pytest.mark.parametrize("offset", [ROTATION_S, -2 * ROTATION_S, -30 * ROTATION_S])
def test_a_key_id_other_than_the_current_or_previous_period_is_refused(offset: int) -> None:
    # Signed correctly with that period's key: the kid alone decides.
    assert reason(issued(now=NOW + offset), now=NOW) == "unknown key id"


def test_the_previous_periods_key_is_still_accepted_after_a_rotation() -> None:
    end_of_period = (NOW // ROTATION_S + 1) * ROTATION_S - 10
    token = issued(now=end_of_period)
    after = end_of_period + 20
    assert int(after) // ROTATION_S != int(end_of_period) // ROTATION_S
    assert isinstance(VisitTokens(KEY).verify(token, *VISIT, after), VisitClaims)


@pytest.mark.parametrize(
    "token",
    [
        None,
        42,
        ["v1"],
        "",
        "v1",
        "v2.1.e30.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "v1.x.e30.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "v1.1.e30.short",
        "v1.1.e3+0.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "v1.1." + "A" * (MAX_TOKEN_CHARS + 1) + ".AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "v1.1.e30.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n",
    ],
)
def test_anything_not_shaped_like_a_token_is_refused_without_raising(token: object) -> None:
    assert reason(token) == "not a visit token"


@pytest.mark.parametrize(
    "payload",
    [
        {"v": 7, "e": int(NOW) + 60, "p": [], "a": 0},  # no "i"
        {"v": "7", "e": int(NOW) + 60, "p": [], "a": 0, "i": 0},
        {"v": 7, "e": int(NOW) + 60, "p": [["only", "two"]], "a": 0, "i": 0},
        {"v": 7, "e": int(NOW) + 60, "p": [["c", "v", "o"]] * 9, "a": 0, "i": 0},
        {"v": 7, "e": int(NOW) + 60, "p": [], "a": -1, "i": 0},
        {"v": 7, "e": int(NOW) + 60, "p": [], "a": True, "i": 0},
    ],
)
def test_a_well_signed_but_malformed_payload_is_refused(payload: dict[str, object]) -> None:
    assert reason(resigned(issued(), payload)) == "malformed payload"
