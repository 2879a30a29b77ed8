"""The checkpoint file: signed checkpoints of the audit chain, one JSON line each, under VAR_DIR.

Contract:

* The file is only ever appended to. Several processes (gunicorn workers, the cron job's
  ``flask --app bff audit checkpoint``) write to it: each checkpoint is one ``os.write``
  of one complete line on a descriptor opened with ``O_APPEND``, so lines from different
  processes never interleave (local filesystems; not NFS), and each write is fsynced.
* A line left unterminated by a crash is closed off by the next writer, which starts with
  a newline when the file does not end in one: the torn line is reported on its own by
  ``read`` and never spoils the checkpoint written after it.
* ``read`` authenticates every line (``bff/audit/checkpoint.py``); ``latest`` looks only
  at the end of the file, for the metrics and for deciding when the next one is due.

Raises ``OSError`` from the filesystem; callers decide whether that may fail them.
"""

from __future__ import annotations

import os
from pathlib import Path

from bff.audit.checkpoint import BadLine, Checkpoint, read_line, signed_line

CHECKPOINT_FILE = "audit-checkpoints.jsonl"
FILE_MODE = 0o640
TAIL_BYTES = 16 * 1024


class CheckpointFile:
    """Signed checkpoints appended to ``path``, signed and checked with ``key``."""

    def __init__(self, path: Path, key: bytes) -> None:
        self.path = path
        self._key = key

    def append(self, checkpoint: Checkpoint) -> None:
        """Sign ``checkpoint`` and append it as one line (creating the file and its directory)."""
        line = signed_line(checkpoint, self._key).encode() + b"\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, FILE_MODE)
        try:
            size = os.fstat(fd).st_size
            if size and os.pread(fd, 1, size - 1) != b"\n":
                line = b"\n" + line  # a crash left the last line unterminated
            os.write(fd, line)
            os.fsync(fd)
        finally:
            os.close(fd)

    def read(self) -> tuple[list[Checkpoint], list[BadLine]]:
        """Every valid checkpoint and every bad line, in file order. No file: none of either."""
        checkpoints: list[Checkpoint] = []
        bad: list[BadLine] = []
        try:
            with self.path.open("rb") as lines:
                for number, raw in enumerate(lines, start=1):
                    text = raw.decode("utf-8", errors="replace").strip()
                    if not text:
                        continue
                    found = read_line(text, self._key, number)
                    if isinstance(found, Checkpoint):
                        checkpoints.append(found)
                    else:
                        bad.append(found)
        except FileNotFoundError:
            pass
        return checkpoints, bad

    def latest(self) -> Checkpoint | None:
        """The last correctly signed checkpoint near the end of the file (None: no file or none there)."""
        try:
            with self.path.open("rb") as stream:
                size = stream.seek(0, os.SEEK_END)
                start = max(0, size - TAIL_BYTES)
                stream.seek(start)
                tail = stream.read().split(b"\n")
        except FileNotFoundError:
            return None
        if start:
            tail = tail[1:]  # the first piece is a part of a line
        for raw in reversed(tail):
            found = read_line(raw.decode("utf-8", errors="replace"), self._key, 0) if raw.strip() else None
            if isinstance(found, Checkpoint):
                return found
        return None

    def move_to(self, target: Path) -> bool:
        """Rename the file to ``target`` (same filesystem); False when there was none."""
        try:
            os.rename(self.path, target)
        except FileNotFoundError:
            return False
        return True
