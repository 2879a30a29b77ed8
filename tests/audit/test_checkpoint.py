"""Signed checkpoints (pure): the line format, its authentication, and when one is due."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from bff.audit.checkpoint import BadLine, Checkpoint, CheckpointPolicy, checkpoint_due, read_line, signed_line

KEY = b"c" * 32
AT = dt.datetime(2026, 5, 4, 10, 0, tzinfo=dt.UTC)
HEAD = "ab" * 32


def test_a_signed_line_reads_back() -> None:
    line = signed_line(Checkpoint(42, HEAD, AT), KEY)
    assert "\n" not in line
    assert read_line(line, KEY, 3) == Checkpoint(42, HEAD, AT)
    assert read_line(line, KEY, 3).line == 3  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"records": 43}, "HMAC"),
        ({"head": "cd" * 32}, "HMAC"),
        ({"at": "2026-05-04T11:00:00+00:00"}, "HMAC"),
        ({"records": True}, "wrong type"),
        ({"head": "not hex"}, "wrong type"),
        ({"extra": 1}, "wrong fields"),
    ],
)
def test_a_changed_line_is_bad(change: dict[str, object], reason: str) -> None:
    fields = json.loads(signed_line(Checkpoint(42, HEAD, AT), KEY))
    found = read_line(json.dumps({**fields, **change}), KEY, 5)
    assert isinstance(found, BadLine) and found.line == 5 and reason in found.reason


def test_a_line_signed_with_another_key_is_forged() -> None:
    found = read_line(signed_line(Checkpoint(42, HEAD, AT), b"x" * 32), KEY, 1)
    assert isinstance(found, BadLine) and "forged" in found.reason


def test_a_torn_line_is_bad() -> None:
    found = read_line(signed_line(Checkpoint(42, HEAD, AT), KEY)[:30], KEY, 9)
    assert isinstance(found, BadLine) and "cut short" in found.reason


POLICY = CheckpointPolicy(every_s=60, every_records=10)


@pytest.mark.parametrize(
    ("last", "records", "seconds_later", "due"),
    [
        (None, 1, 0, True),
        (Checkpoint(5, HEAD, AT), 6, 0, False),
        (Checkpoint(5, HEAD, AT), 15, 0, True),
        (Checkpoint(5, HEAD, AT), 6, 59, False),
        (Checkpoint(5, HEAD, AT), 6, 60, True),
        (Checkpoint(5, HEAD, AT), 5, 3600, False),
    ],
)
def test_checkpoint_due(last: Checkpoint | None, records: int, seconds_later: int, due: bool) -> None:
    now = AT + dt.timedelta(seconds=seconds_later)
    assert checkpoint_due(last, records, now, POLICY) is due
