"""Pixel and layout comparison of screenshots.

Pixels: pixelmatch (npm; ``pixelmatch.mjs``) with its anti-aliasing detection on, so a
pixel that differs only because an edge was smoothed differently is not counted. The
result is the ratio of mismatched pixels. Images of different sizes are padded (white)
to the larger size first, so the missing area counts as mismatched.

Scale: a baseline of the same engine and device is compared at the device's pixel
ratio. Across engines, each image is first reduced to CSS pixels (box filter): WebKitGTK
runs the Pixel 7 at scale 3, the others at 2.625, and at CSS pixels the two agree.

Layout: named lists of element boxes ``[x, y, width, height]`` in CSS pixels, equal
within ``BOX_TOLERANCE_PX``. Styles: the computed colours and fonts of key elements, equal.
"""

from __future__ import annotations

import io
import json
import math
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

PIXELMATCH = Path(__file__).with_name("pixelmatch.mjs")
REPO = Path(__file__).resolve().parents[2]
NODE_TIMEOUT_S = 120
BOX_TOLERANCE_PX = 1.0
# pixelmatch's per-pixel threshold (YIQ colour distance, 0..1): its default.
COLOUR_THRESHOLD = 0.1

Boxes = dict[str, list[list[float]]]


@dataclass(frozen=True)
class PixelDiff:
    expected: Path
    actual: Path
    diff: Path
    mismatched: int
    total: int

    @property
    def ratio(self) -> float:
        return self.mismatched / self.total if self.total else 0.0


def css_pixels(png: bytes, width: float, height: float) -> bytes:
    """The image reduced (box filter) to ``width`` x ``height`` CSS pixels, as PNG."""
    image = Image.open(io.BytesIO(png)).convert("RGBA")
    size = (max(1, round(width)), max(1, round(height)))
    out = io.BytesIO()
    image.resize(size, Image.Resampling.BOX).save(out, format="PNG")
    return out.getvalue()


def _padded(path: Path, size: tuple[int, int], into: Path) -> Path:
    image = Image.open(path).convert("RGBA")
    if image.size == size:
        return path
    canvas = Image.new("RGBA", size, (255, 255, 255, 255))
    canvas.paste(image, (0, 0))
    canvas.save(into)
    return into


def pixel_diffs(pairs: list[tuple[Path, Path, Path]], include_aa: bool = False) -> list[PixelDiff]:
    """Compare (expected, actual, diff-to-write) PNG pairs with pixelmatch, in one node process;
    ``include_aa``: pixels pixelmatch takes for anti-aliasing count too."""
    if not pairs:
        return []
    jobs = []
    for expected, actual, diff in pairs:
        with Image.open(expected) as a, Image.open(actual) as b:
            size = (max(a.width, b.width), max(a.height, b.height))
        jobs.append(
            {
                "expected": str(_padded(expected, size, diff.with_suffix(".expected-padded.png"))),
                "actual": str(_padded(actual, size, diff.with_suffix(".actual-padded.png"))),
                "diff": str(diff),
                "threshold": COLOUR_THRESHOLD,
                "includeAA": include_aa,
            }
        )
    completed = subprocess.run(
        ["node", str(PIXELMATCH)],
        input=json.dumps(jobs),
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=NODE_TIMEOUT_S,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"pixelmatch failed: {completed.stderr.strip()}")
    results = json.loads(completed.stdout)
    return [
        PixelDiff(expected, actual, diff, int(r["mismatched"]), int(r["total"]))
        for (expected, actual, diff), r in zip(pairs, results, strict=True)
    ]


def ratio_outside(diff_png: Path, boxes: list[list[float]]) -> float:
    """Share of the pixels outside ``boxes`` ([x, y, w, h], in the image's pixels, each grown
    by a pixel for anti-aliasing) that pixelmatch marked as mismatched (pure red)."""
    image = np.asarray(Image.open(diff_png).convert("RGBA"))
    mismatched = (image[..., 0] == 255) & (image[..., 1] == 0) & (image[..., 2] == 0) & (image[..., 3] == 255)
    outside = np.ones(mismatched.shape, dtype=bool)
    height, width = outside.shape
    for x, y, w, h in boxes:
        if w <= 0 or h <= 0:
            continue
        left, top = max(0, math.floor(x) - 1), max(0, math.floor(y) - 1)
        right, bottom = min(width, math.ceil(x + w) + 1), min(height, math.ceil(y + h) + 1)
        outside[top:bottom, left:right] = False
    total = int(outside.sum())
    return float((mismatched & outside).sum()) / total if total else 0.0


def box_differences(
    expected: Boxes,
    actual: Boxes,
    tolerance: float = BOX_TOLERANCE_PX,
    tolerances: dict[str, float] | None = None,
) -> list[str]:
    """Each element whose box moved or resized by more than ``tolerance`` px (or its own,
    in ``tolerances``), described."""
    problems: list[str] = []
    for name in sorted(set(expected) | set(actual)):
        limit = (tolerances or {}).get(name, tolerance)
        want, got = expected.get(name, []), actual.get(name, [])
        if len(want) != len(got):
            problems.append(f"{name}: {len(want)} boxes expected, {len(got)} found")
            continue
        for index, (a, b) in enumerate(zip(want, got, strict=True)):
            worst = max(abs(x - y) for x, y in zip(a, b, strict=True))
            if worst > limit:
                problems.append(f"{name}[{index}]: expected {_fmt(a)}, got {_fmt(b)} (off by {worst:.2f}px)")
    return problems


def copy_differences(expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    """Each element whose copy differs: another variant, other words, or the same words on
    other lines (``lines`` of a shot: element -> per element, its lines of text)."""
    problems: list[str] = []
    for name in sorted(set(expected) | set(actual)):
        want, got = expected.get(name), actual.get(name)
        if want != got:
            problems.append(f"{name} lines: expected {want!r}, got {got!r}")
    return problems


def _fmt(box: list[float]) -> str:
    return "[" + ", ".join(f"{v:g}" for v in box) + "]"


def style_differences(expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    """Each computed style of a key element that differs, described."""
    problems: list[str] = []
    for name in sorted(set(expected) | set(actual)):
        want, got = expected.get(name) or {}, actual.get(name) or {}
        for prop in sorted(set(want) | set(got)):
            if _normal(want.get(prop)) != _normal(got.get(prop)):
                problems.append(f"{name} {prop}: expected {want.get(prop)!r}, got {got.get(prop)!r}")
    return problems


def _normal(value: Any) -> Any:
    """Lengths to 0.01 px: engines serialise the same computed 20.3px as 20.299999px."""
    if not isinstance(value, str):
        return value
    return re.sub(r"(\d+\.\d+)px", lambda m: f"{round(float(m.group(1)), 2):g}px", value)
