"""The origin rule of allowed_origins, as data: the strict check of a stored document and
the lenient reading of what an operator types (merchant_origin_cases.json)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bff.decisions.merchant_origins import origin_from_input, origin_problem, www_twin

CASES: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "merchant_origin_cases.json").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_stored_origin_rule(case: dict[str, Any]) -> None:
    problem = origin_problem(case["input"])
    if case["stored"] == "ok":
        assert problem is None
    else:
        assert problem is not None and case["stored"] in problem


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_typed_origin_is_corrected_or_refused(case: dict[str, Any]) -> None:
    if case["typed"].startswith(("https://", "http://")):
        origin = origin_from_input(case["input"])
        assert origin == case["typed"]
        assert origin_problem(origin) is None
    else:
        with pytest.raises(ValueError, match=case["typed"].replace("?", r"\?").replace("(", r"\(")):
            origin_from_input(case["input"])


@pytest.mark.parametrize(
    ("origin", "twin"),
    [
        ("https://shop.example", "https://www.shop.example"),
        ("https://www.shop.example", "https://shop.example"),
        ("https://shop.example:8443", "https://www.shop.example:8443"),
        ("http://localhost:5000", None),
        ("http://127.0.0.1:8000", None),
        ("http://[::1]:8000", None),
    ],
)
def test_www_twin(origin: str, twin: str | None) -> None:
    assert www_twin(origin) == twin


def test_non_strings_are_refused() -> None:
    assert origin_problem(["https://shop.example"]) == "expected a string, got list"
