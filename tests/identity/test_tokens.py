"""Customer tokens as data: each case is signed as written and must verify (or be refused) as expected."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jwt
import pytest

from bff.identity import tokens

NOW = 1_000_000
SECRETS = {"aaaaaaaaaaaa": "right-secret-of-the-shop-0123456789abcdef-0123456789abcdef-012345"}
CASES = json.loads((Path(__file__).parent / "token_cases.json").read_text())


def build(case: dict[str, Any]) -> str:
    if "raw" in case:
        return str(case["raw"]) * int(case.get("repeat", 1))
    if case["key"] == "none":
        return str(jwt.encode(case["claims"], None, algorithm="none"))
    wrong = "wrong-secret-0123456789abcdef-0123456789-0123456789abcdef-0123456"
    key = SECRETS["aaaaaaaaaaaa"] if case["key"] == "right" else wrong
    headers = {"kid": case["kid"]} if "kid" in case else None
    return jwt.encode(case["claims"], key, algorithm=case.get("algorithm", "HS256"), headers=headers)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_token_case(case: dict[str, Any]) -> None:
    verdict = tokens.verify(build(case), "shop", SECRETS, NOW)
    if isinstance(verdict, tokens.Verified):
        assert verdict.customer_ref == case["expect"]
    else:
        assert verdict.reason == case["expect"]


def test_sign_then_verify_round_trip_and_rejection_reasons_never_quote_the_token() -> None:
    token = tokens.sign(SECRETS["aaaaaaaaaaaa"], "shop", "jane@example.com", NOW, 600, "aaaaaaaaaaaa")
    assert tokens.verify(token, "shop", SECRETS, NOW) == tokens.Verified("jane@example.com", "aaaaaaaaaaaa")
    refused = tokens.verify(token, "shop", SECRETS, NOW + 700)
    assert isinstance(refused, tokens.Rejected) and "jane" not in refused.reason


def test_no_active_secret_refuses_everything() -> None:
    token = tokens.sign(SECRETS["aaaaaaaaaaaa"], "shop", "c-1", NOW)
    assert tokens.verify(token, "shop", {}, NOW) == tokens.Rejected(
        "the merchant has no active identity secret"
    )
