"""Reading profile files row by row: JSON Lines or CSV, with 1-based line numbers (pure I/O-free parsing)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import Any

CSV_FIELDS = (
    "customer_ref",
    "first_name",
    "locale",
    "country",
    "city",
    "postcode",
    "interests",
    "preferred_payment_method",
    "consent",
)


def read_rows(lines: Iterable[str], kind: str) -> Iterator[tuple[int, Any, str | None]]:
    """Yield ``(line number, row or None, error or None)`` for each record of a ``jsonl`` or ``csv`` stream.

    CSV needs a header line naming the columns (``interests`` and ``consent`` hold
    ``|``-separated values). Blank lines are skipped.
    """
    if kind == "csv":
        yield from _csv_rows(lines)
        return
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line), None
        except ValueError as exc:
            yield (
                number,
                None,
                f"not valid JSON ({exc.msg} at column {exc.colno})"
                if isinstance(exc, json.JSONDecodeError)
                else "not valid JSON",
            )


def _csv_rows(lines: Iterable[str]) -> Iterator[tuple[int, Any, str | None]]:
    reader = csv.DictReader(iter(lines))
    header = reader.fieldnames or []
    unknown = [name for name in header if name not in CSV_FIELDS]
    if "customer_ref" not in header or unknown:
        yield 1, None, f"the CSV header must name columns from {', '.join(CSV_FIELDS)} (unknown: {unknown})"
        return
    for row in reader:
        if None in row:
            yield reader.line_num, None, "more values than columns in the header"
            continue
        yield reader.line_num, {k: v for k, v in row.items() if v not in (None, "")}, None
