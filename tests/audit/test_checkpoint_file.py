"""The checkpoint file: appends from several processes, torn lines, reading the tail."""

from __future__ import annotations

import datetime as dt
import multiprocessing
from pathlib import Path

from bff.audit.checkpoint import Checkpoint
from bff.audit.checkpoint_file import TAIL_BYTES, CheckpointFile

KEY = b"c" * 32
AT = dt.datetime(2026, 5, 4, 10, 0, tzinfo=dt.UTC)


def head(n: int) -> str:
    return f"{n:064x}"


def write_many(path: str, writer: int, count: int) -> None:
    """One writer process: ``count`` checkpoints."""
    checkpoints = CheckpointFile(Path(path), KEY)
    for i in range(count):
        checkpoints.append(Checkpoint(writer * 1000 + i, head(i), AT))


def test_append_creates_the_directory_and_reads_back(tmp_path: Path) -> None:
    checkpoints = CheckpointFile(tmp_path / "var" / "cp.jsonl", KEY)
    assert checkpoints.read() == ([], []) and checkpoints.latest() is None
    checkpoints.append(Checkpoint(1, head(1), AT))
    checkpoints.append(Checkpoint(2, head(2), AT))
    found, bad = checkpoints.read()
    assert [(c.records, c.line) for c in found] == [(1, 1), (2, 2)] and bad == []
    assert checkpoints.latest() == Checkpoint(2, head(2), AT)


def test_concurrent_processes_append_whole_lines(tmp_path: Path) -> None:
    path = tmp_path / "cp.jsonl"
    context = multiprocessing.get_context("spawn")
    writers = [context.Process(target=write_many, args=(str(path), n, 50)) for n in range(4)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=60)
        assert writer.exitcode == 0
    found, bad = CheckpointFile(path, KEY).read()
    assert bad == []
    assert sorted(c.records for c in found) == sorted(w * 1000 + i for w in range(4) for i in range(50))


def test_a_line_torn_by_a_crash_does_not_spoil_the_next(tmp_path: Path) -> None:
    path = tmp_path / "cp.jsonl"
    checkpoints = CheckpointFile(path, KEY)
    checkpoints.append(Checkpoint(1, head(1), AT))
    with path.open("ab") as out:
        out.write(b'{"at":"2026-05-04T10:00:00+00:00","he')  # the crash
    checkpoints.append(Checkpoint(2, head(2), AT))
    found, bad = checkpoints.read()
    assert [c.records for c in found] == [1, 2]
    assert [b.line for b in bad] == [2] and "cut short" in bad[0].reason
    assert checkpoints.latest() == Checkpoint(2, head(2), AT)


def test_latest_reads_only_the_tail_and_skips_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "cp.jsonl"
    checkpoints = CheckpointFile(path, KEY)
    for n in range(TAIL_BYTES // 100 + 10):
        checkpoints.append(Checkpoint(n, head(n), AT))
    assert path.stat().st_size > TAIL_BYTES
    with path.open("ab") as out:
        out.write(b'{"forged": true}\n')
    latest = checkpoints.latest()
    assert latest is not None and latest.records == TAIL_BYTES // 100 + 9


def test_move_to(tmp_path: Path) -> None:
    checkpoints = CheckpointFile(tmp_path / "cp.jsonl", KEY)
    assert checkpoints.move_to(tmp_path / "old.jsonl") is False
    checkpoints.append(Checkpoint(1, head(1), AT))
    assert checkpoints.move_to(tmp_path / "old.jsonl") is True
    assert checkpoints.latest() is None
    assert CheckpointFile(tmp_path / "old.jsonl", KEY).latest() == Checkpoint(1, head(1), AT)
