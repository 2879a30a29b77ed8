"""The keyed hash chain (pure): sealing, and verify naming the first bad record or checkpoint line."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from typing import Any

from bff.audit.chain import GENESIS, canonical, seal, unkeyed_hash, verify, verify_unkeyed
from bff.audit.checkpoint import BadLine, Checkpoint

KEY = b"k" * 32
AT = dt.datetime(2026, 5, 4, 10, 0, tzinfo=dt.UTC)


def chain(n: int, key: bytes = KEY) -> list[dict[str, Any]]:
    records, prev = [], GENESIS
    for i in range(n):
        record = seal({"action": f"a{i}", "actor": {"kind": "cli", "id": "t"}}, i, prev, key)
        records.append(record)
        prev = record["hash"]
    return records


def unkeyed_chain(n: int) -> list[dict[str, Any]]:
    """A chain sealed the way it was before it was keyed."""
    records, prev = [], GENESIS
    for i in range(n):
        record = {"action": f"a{i}", "seq": i, "prev": prev}
        record["hash"] = hashlib.sha256(canonical(record)).hexdigest()
        records.append(record)
        prev = record["hash"]
    return records


def anchor(records: list[dict[str, Any]], count: int, line: int = 1) -> Checkpoint:
    head = records[count - 1]["hash"] if count else GENESIS
    return Checkpoint(count, head, AT, line)


def test_seal_is_hmac_sha256_under_the_key() -> None:
    record = chain(1)[0]
    assert record["hash"] == hmac.new(KEY, canonical(record), hashlib.sha256).hexdigest()
    assert record["hash"] != unkeyed_hash(record)


def test_intact_chain_verifies_and_reports_its_head() -> None:
    records = chain(5)
    verdict = verify(records, KEY)
    assert verdict.ok and verdict.checked == 5 and verdict.head == records[-1]["hash"]


def test_empty_chain_without_checkpoints_is_ok() -> None:
    assert verify([], KEY).ok


def test_edit_is_found_at_the_edited_record() -> None:
    records = chain(5)
    records[2]["details"] = {"sneaky": True}
    verdict = verify(records, KEY)
    assert (verdict.ok, verdict.first_bad, verdict.position) == (False, 2, "record 2")
    assert "edited" in verdict.reason


def test_edit_rehashed_with_plain_sha256_is_found_at_the_record_itself() -> None:
    records = chain(5)
    records[4]["action"] = "x"
    records[4]["hash"] = unkeyed_hash(records[4])
    verdict = verify(records, KEY)
    assert (verdict.ok, verdict.first_bad) == (False, 4)
    assert "plain SHA-256" in verdict.reason


def test_a_chain_sealed_with_another_key_fails_at_record_0() -> None:
    verdict = verify(chain(3, key=b"other" * 8), KEY)
    assert (verdict.ok, verdict.first_bad) == (False, 0)
    assert "another key" in verdict.reason


def test_a_log_sealed_before_the_chain_was_keyed_names_the_archive_command() -> None:
    verdict = verify(unkeyed_chain(3), KEY)
    assert (verdict.ok, verdict.first_bad) == (False, 0)
    assert "flask --app bff audit archive" in verdict.reason
    assert verify_unkeyed(unkeyed_chain(3)).ok
    assert verify_unkeyed(chain(3)).first_bad == 0


def test_removal_and_reordering_are_found() -> None:
    records = chain(5)
    del records[1]
    assert verify(records, KEY).first_bad == 1
    records = chain(5)
    records[3], records[4] = records[4], records[3]
    assert verify(records, KEY).first_bad == 3


def test_truncating_the_head_is_found_by_a_checkpoint() -> None:
    records = chain(5)
    checkpoints = [anchor(records, 2, line=1), anchor(records, 5, line=2)]
    assert verify(records, KEY, checkpoints).ok
    verdict = verify(records[:3], KEY, checkpoints)
    assert (verdict.ok, verdict.first_bad, verdict.checkpoints) == (False, 3, 2)
    assert "cut off" in verdict.reason and "checkpoint line 2" in verdict.reason


def test_deleting_every_record_is_found_at_position_0() -> None:
    records = chain(5)
    verdict = verify([], KEY, [anchor(records, 5)])
    assert (verdict.ok, verdict.first_bad) == (False, 0)
    assert "deleted" in verdict.reason


def test_a_checkpoint_whose_head_differs_is_found_at_its_position() -> None:
    """A chain re-sealed with the key (by someone holding it) still disagrees with older checkpoints."""
    records, rewritten = chain(5), chain(5)
    rewritten[1]["details"] = {"changed": True}
    prev = rewritten[0]["hash"]
    for i in range(1, 5):
        rewritten[i] = seal(
            {k: v for k, v in rewritten[i].items() if k not in ("seq", "prev", "hash")}, i, prev, KEY
        )
        prev = rewritten[i]["hash"]
    verdict = verify(rewritten, KEY, [anchor(records, 3, line=7)])
    assert (verdict.ok, verdict.first_bad) == (False, 2)
    assert "checkpoint line 7" in verdict.reason


def test_bad_checkpoint_lines_are_reported_when_the_records_are_fine() -> None:
    records = chain(3)
    bad = [BadLine(4, "the checkpoint's HMAC does not match"), BadLine(2, "not a checkpoint")]
    verdict = verify(records, KEY, [anchor(records, 3)], bad)
    assert (verdict.ok, verdict.first_bad, verdict.checkpoint_line) == (False, None, 2)
    assert verdict.position == "checkpoint line 2"


def test_a_record_problem_comes_before_a_bad_checkpoint_line() -> None:
    records = chain(3)
    records[1]["action"] = "x"
    verdict = verify(records, KEY, [], [BadLine(1, "forged")])
    assert (verdict.first_bad, verdict.checkpoint_line) == (1, None)
