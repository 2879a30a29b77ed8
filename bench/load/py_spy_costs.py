"""Where a profiled server spends its time: py-spy's raw output summed per frame.

``py_spy()`` finds the py-spy beside this interpreter; ``top_costs(raw)`` reads a
``py-spy record --format raw`` file (one ``frame;frame;... count`` line per stack) into
the top inclusive and self shares, frames shortened to ``function (module path)``.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Any

from bench.load.servers import ROOT


def py_spy() -> str:
    """py-spy from this interpreter's environment (a venv's bin/ need not be on PATH)."""
    beside = Path(sys.executable).parent / "py-spy"
    return str(beside) if beside.exists() else "py-spy"


def top_costs(raw: Path, limit: int = 25) -> dict[str, Any]:
    """The ``limit`` costliest frames of a py-spy raw profile, inclusive and self, in % of samples."""
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [_short(f) for f in stack.split(";") if f and not f.startswith("process ")]
        if not frames:
            continue
        total += count
        for frame in set(frames):
            inclusive[frame] += count
        own[frames[-1]] += count
    share = lambda c: round(100 * c / max(total, 1), 1)  # noqa: E731
    return {
        "samples": total,
        "inclusive_pct": [(f, share(c)) for f, c in inclusive.most_common(limit)],
        "self_pct": [(f, share(c)) for f, c in own.most_common(limit)],
    }


def _short(frame: str) -> str:
    # py-spy raw frames look like "function (path/to/module.py:123)"; keep function and file.
    name, _, where = frame.partition(" (")
    path = where.rstrip(")").rsplit(":", 1)[0]
    for marker in ("site-packages/", "/work/main/", str(ROOT) + "/", "lib/python3."):
        if marker in path:
            path = path.split(marker, 1)[1]
    return f"{name} ({path})"
