"""The origin rule of allowed_origins, as data: the strict check of a stored document and
the lenient reading of what an operator types (merchant_origin_cases.json)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bff.decisions.merchant_origins import (
    origin_from_input,
    origin_of_page,
    origin_problem,
    with_www_twins,
    www_twin,
)

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


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("https://Shop.example/products/chair?x=1#top", "https://shop.example"),
        ("https://shop.example:443/", "https://shop.example"),
        ("https://shop.example:8443/a", "https://shop.example:8443"),
        ("http://localhost:5000/demo", "http://localhost:5000"),
        ("https://bücher.example/a", "https://xn--bcher-kva.example"),
    ],
)
def test_the_origin_of_a_page_url(url: str, origin: str) -> None:
    assert origin_of_page(url) == origin


@pytest.mark.parametrize(
    ("url", "text"),
    [
        ("shop.example/page", "not a URL"),
        ("http://shop.example/page", "use https"),
        ("https://user:pw@shop.example/", "user name"),
        ("https://*.shop.example/", "wildcards"),
        ("javascript://alert(1)", "not an origin"),
        ("https://[::1/", "not a URL"),
    ],
)
def test_a_page_url_without_an_allowable_origin_is_refused(url: str, text: str) -> None:
    with pytest.raises(ValueError, match=text):
        origin_of_page(url)


def test_www_twins_follow_each_origin_once() -> None:
    listed = with_www_twins(["https://shop.example", "https://www.shop.example", "http://localhost:5000"])
    assert listed == ["https://shop.example", "https://www.shop.example", "http://localhost:5000"]
