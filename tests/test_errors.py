"""bff/errors.py (pure): quoting client input in messages, and bounded document problems."""

from __future__ import annotations

import json

from bff.errors import (
    MAX_LISTED_PROBLEMS,
    MAX_PROBLEM_CHARS,
    MAX_QUOTED_CHARS,
    InvalidDocument,
    UnknownClient,
    clipped,
    quoted,
)


def test_quoted_keeps_short_values_whole() -> None:
    assert quoted("demo") == "'demo'"
    assert quoted("demo\n") == "'demo\\n'"
    assert quoted(42) == "42"


def test_quoted_cuts_the_middle_of_long_values() -> None:
    text = quoted("a" * 20 + "x" * 900_000 + "z" * 20)
    assert len(text) <= MAX_QUOTED_CHARS + 2
    assert text.startswith("'aaaaaaaaaaaaaaaa") and "..." in text and text.endswith("zzzzzzzz'")
    assert len(quoted(10**4000)) <= MAX_QUOTED_CHARS


def test_quoted_shows_only_the_top_of_structures() -> None:
    nested: object = 1
    for _ in range(500):
        nested = [nested]
    assert len(quoted(nested)) < 20
    assert len(quoted({str(i): "v" * 1000 for i in range(1000)})) < 4 * MAX_QUOTED_CHARS + 60


def test_unknown_client_quotes_its_id_briefly() -> None:
    assert len(UnknownClient("c" * 100_000).message) < 150


def test_clipped() -> None:
    assert clipped("short") == "short"
    assert clipped("y" * 500, 20) == "y" * 17 + "..."


def test_invalid_document_keeps_every_problem_but_sends_a_bounded_few() -> None:
    problems = [{"path": f"copy.{'k' * 10_000}{i}", "message": "m" * 10_000} for i in range(5_000)]
    error = InvalidDocument("campaign", problems)
    assert error.problems == problems  # the CLI prints them all
    assert error.data["problem_count"] == 5_000
    assert len(error.data["problems"]) == MAX_LISTED_PROBLEMS
    for shown in error.data["problems"]:
        assert len(shown["path"]) <= MAX_PROBLEM_CHARS and len(shown["message"]) <= MAX_PROBLEM_CHARS
    assert len(json.dumps(error.data)) + len(error.message) < 8 * 1024
    assert error.message.startswith("Invalid params: 'campaign' has 5000 problems: copy.kkk")
