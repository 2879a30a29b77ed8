"""bff/rpc/envelope.py (pure): strict body parsing and the id rule, cases in envelope_cases.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bff.rpc.envelope import ID_RULE, BodyInvalid, id_problem, parse_body

CASES = json.loads((Path(__file__).parent / "envelope_cases.json").read_text())


def raw_body(case: dict[str, Any]) -> bytes:
    if "body_hex" in case:
        return bytes.fromhex(case["body_hex"])
    if "body_digits" in case:
        return b"[" + b"7" * case["body_digits"] + b"]"
    return str(case["body"]).encode()


@pytest.mark.parametrize("case", CASES["bodies"], ids=lambda c: c["name"])
def test_parse_body(case: dict[str, Any]) -> None:
    if case.get("ok"):
        assert parse_body(raw_body(case)) == json.loads(raw_body(case))
        return
    with pytest.raises(BodyInvalid) as caught:
        parse_body(raw_body(case))
    assert case["message"] in str(caught.value)


def test_deep_nesting_is_refused_without_quoting_the_body() -> None:
    with pytest.raises(BodyInvalid, match="nested too deeply") as caught:
        parse_body(b"[" * 100_000 + b"]" * 100_000)
    assert "[[" not in str(caught.value)


@pytest.mark.parametrize("case", CASES["ids"], ids=lambda c: c["name"])
def test_id_rule(case: dict[str, Any]) -> None:
    assert id_problem(case["request"]) == (None if case["ok"] else ID_RULE)
