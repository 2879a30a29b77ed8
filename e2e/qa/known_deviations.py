"""Reviewed cross-engine deviations: data in ``known_deviations.json``, never an xfail.

Each entry widens checks for one engine and the cells it names (``"*"``: all), and says
what was measured and why it is accepted::

    {"engine": "webkit", "devices": ["*"], "locales": ["*"], "shots": ["interstitial-open"],
     "box_tolerance_px": {"radios": 2.0}, "max_non_text_ratio": null,
     "measured": "...", "why": "...", "reviewed": "2026-12-06, who"}

``box_tolerance_px``: per element, the box tolerance instead of 1 px;
``max_non_text_ratio``: the cross-engine limit of differing non-text pixels instead of
1.5 % (null: unchanged).

A comparison that only passes thanks to an entry is shown as a known deviation in the
report (with the entry's reason); anything not covered by an entry fails.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FILE = Path(__file__).with_name("known_deviations.json")
REQUIRED = (
    "engine",
    "devices",
    "locales",
    "shots",
    "box_tolerance_px",
    "max_non_text_ratio",
    "measured",
    "why",
    "reviewed",
)


@dataclass(frozen=True)
class Deviation:
    engine: str
    devices: tuple[str, ...]
    locales: tuple[str, ...]
    shots: tuple[str, ...]
    box_tolerance_px: dict[str, float]
    max_non_text_ratio: float | None
    measured: str
    why: str
    reviewed: str

    def covers(self, engine: str, device: str, locale: str, shot: str) -> bool:
        def matches(values: tuple[str, ...], value: str) -> bool:
            return "*" in values or value in values

        return (
            self.engine == engine
            and matches(self.devices, device)
            and matches(self.locales, locale)
            and matches(self.shots, shot)
        )


def load(path: Path = FILE) -> list[Deviation]:
    """The entries of ``path``; a malformed entry is an error, not ignored."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for index, entry in enumerate(data.get("deviations", [])):
        missing = [key for key in REQUIRED if key not in entry]
        if missing:
            raise ValueError(f"{path.name} entry {index}: missing {', '.join(missing)}")
        out.append(
            Deviation(
                str(entry["engine"]),
                tuple(entry["devices"]),
                tuple(entry["locales"]),
                tuple(entry["shots"]),
                {str(k): float(v) for k, v in entry["box_tolerance_px"].items()},
                None if entry["max_non_text_ratio"] is None else float(entry["max_non_text_ratio"]),
                str(entry["measured"]),
                str(entry["why"]),
                str(entry["reviewed"]),
            )
        )
    return out


def applying(
    deviations: list[Deviation], engine: str, device: str, locale: str, shot: str
) -> list[Deviation]:
    """The entries that cover this engine, device, locale and shot."""
    return [d for d in deviations if d.covers(engine, device, locale, shot)]
