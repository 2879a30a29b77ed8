"""Checks shots against their committed baselines and against the reference engine's.

Baselines live in ``e2e/qa/baselines/<engine>/<device>/<locale>/<shot>.png``, each with
a ``.json`` of its CSS size, layout boxes and facts. Two checks per shot:

1. **Baseline** (same engine and device): a regression check. Pixels at the device's
   pixel ratio, mismatch ratio at most ``BASELINE_MAX_RATIO``; layout boxes within 1 px.
2. **Cross-engine** (every engine but the reference, against the reference engine's
   baseline of the same device, locale and shot): the identity check. Both images are
   reduced to CSS pixels; at most ``CROSS_ENGINE_MAX_RATIO`` of the pixels outside text
   runs differ; layout boxes within 1 px.

Also, both checks: the computed colours and fonts of key elements are equal.

Why these limits (measured figures in docs/qa.md): the same engine on the same machine
redraws the same pixels (measured: 0), so its limit only absorbs rare raster noise.
Across engines, the same font, size and position still rasterise glyphs differently
(gamma, hinting, where a fractional baseline lands): with identical layout, up to 12 % of
all pixels differ, nearly all inside text runs. So text runs are compared by what defines
them exactly (their boxes to a pixel, their computed colour and font) and the pixel ratio
counts only the pixels outside them: backgrounds, borders, corners, rules, controls.
There, identical layout measures 0 % to 1.16 % (native radio buttons, corner smoothing),
while a removed 1 px badge border measures 4.2 % and a dialog moved by 1 px 3.0 %.

Cross-engine differences are expected while the widget ships no font of its own (each
engine then falls back to a system font of its own), and from WebKitGTK
(``KNOWN_DEVIATIONS``): the test is then marked xfail with the reason, never passed.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from e2e.qa.image_diff import box_differences, css_pixels, pixel_diffs, ratio_outside, style_differences
from e2e.qa.matrix import REFERENCE_ENGINE
from e2e.qa.report import Comparison, Report
from e2e.qa.shots import TEXT_BOXES, Shot

BASELINES = Path(__file__).parent / "baselines"
BASELINE_MAX_RATIO = 0.001
CROSS_ENGINE_MAX_RATIO = 0.015
THRESHOLDS = {
    "baseline (same engine and device, device pixels)": f"at most {BASELINE_MAX_RATIO:.1%} of pixels differ",
    "cross-engine (vs the chromium baseline, CSS pixels)": (
        f"at most {CROSS_ENGINE_MAX_RATIO:.1%} of the pixels outside text runs differ"
    ),
    "pixelmatch": "threshold 0.1 (YIQ), anti-aliased pixels not counted",
    "layout boxes": "every key element's box within 1 px (x, y, width, height), both checks",
    "styles": "computed colours, font family, weight, size, line height of key elements equal, both checks",
}
# Cross-engine differences that are the engine's on this platform, not the widget's. The
# test still runs every check, records it in the report and is marked xfail with this
# reason; the engine's own baselines hold it to its rendering.
KNOWN_DEVIATIONS = {
    "webkit": (
        "WebKitGTK on Linux rounds glyph advances to whole CSS pixels at every scale (no "
        "subpixel positioning), so text runs measure about 1% narrower than in Blink and "
        "Gecko (Safari's CoreText does not round) and a line can wrap differently"
    ),
}


@dataclass(frozen=True)
class Cell:
    engine: str
    device: str
    locale: str

    def folder(self, root: Path, engine: str | None = None) -> Path:
        return root / (engine or self.engine) / self.device / self.locale

    def label(self, shot: str, engine: str | None = None) -> str:
        return f"{engine or self.engine}/{self.device}/{self.locale}/{shot}"


@dataclass
class Verdict:
    baseline_failures: list[str]
    cross_engine_failures: list[str]
    font_shipped: bool


def _text_boxes(
    boxes: dict[str, list[list[float]]], origin: list[float] | tuple[float, float]
) -> list[list[float]]:
    """The text runs' boxes, relative to the shot's top-left corner."""
    return [[x - origin[0], y - origin[1], w, h] for name in TEXT_BOXES for x, y, w, h in boxes.get(name, [])]


def _write(png_path: Path, shot: Shot, png: bytes | None = None) -> None:
    png_path.parent.mkdir(parents=True, exist_ok=True)
    png_path.write_bytes(png if png is not None else shot.png)
    png_path.with_suffix(".json").write_text(
        json.dumps(shot.metadata(), indent=1, sort_keys=True), encoding="utf-8"
    )


def _metadata(png_path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(png_path.with_suffix(".json").read_text(encoding="utf-8"))
    return data


def check(shots: list[Shot], cell: Cell, output: Path, report: Report, test: str, update: bool) -> Verdict:
    """Write the shots under ``output``, compare them (updating baselines first if asked), and
    record every comparison in ``report``."""
    verdict = Verdict([], [], font_shipped=all(s.facts.get("frame", {}).get("fonts") for s in shots))
    actual_dir = cell.folder(output / "shots")
    work_dir = cell.folder(output / "work")
    work_dir.mkdir(parents=True, exist_ok=True)
    baseline_pairs, cross_pairs = [], []
    for shot in shots:
        actual = actual_dir / f"{shot.name}.png"
        _write(actual, shot)
        baseline = cell.folder(BASELINES) / f"{shot.name}.png"
        if update:
            baseline.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(actual, baseline)
            shutil.copyfile(actual.with_suffix(".json"), baseline.with_suffix(".json"))
        if not baseline.is_file():
            message = f"{cell.label(shot.name)}: no baseline; run bin/qa --update-baselines, review, commit"
            verdict.baseline_failures.append(message)
            report.add(
                Comparison(
                    test, "baseline", cell.label(shot.name), "-", None, BASELINE_MAX_RATIO, [], False, message
                )
            )
        else:
            baseline_pairs.append((shot, baseline, actual, work_dir / f"{shot.name}.baseline-diff.png"))
        if cell.engine == REFERENCE_ENGINE:
            continue
        reference = cell.folder(BASELINES, REFERENCE_ENGINE) / f"{shot.name}.png"
        if not reference.is_file():
            message = f"{cell.label(shot.name, REFERENCE_ENGINE)}: no reference baseline to compare with"
            verdict.cross_engine_failures.append(message)
            report.add(
                Comparison(
                    test,
                    "cross-engine",
                    cell.label(shot.name),
                    "-",
                    None,
                    CROSS_ENGINE_MAX_RATIO,
                    [],
                    False,
                    message,
                )
            )
            continue
        width, height = _metadata(reference)["css_size"]
        ref_css = work_dir / f"{shot.name}.reference-css.png"
        ref_css.write_bytes(css_pixels(reference.read_bytes(), width, height))
        actual_css = work_dir / f"{shot.name}.actual-css.png"
        actual_css.write_bytes(css_pixels(shot.png, width, height))
        cross_pairs.append((shot, reference, ref_css, actual_css, work_dir / f"{shot.name}.cross-diff.png"))

    diffs = pixel_diffs([(b, a, d) for _, b, a, d in baseline_pairs])
    for (shot, baseline, actual, _), diff in zip(baseline_pairs, diffs, strict=True):
        meta = _metadata(baseline)
        boxes = box_differences(meta["boxes"], shot.boxes) + style_differences(
            meta.get("styles", {}), shot.styles
        )
        passed = diff.ratio <= BASELINE_MAX_RATIO and not boxes
        if not passed:
            verdict.baseline_failures.append(
                f"{cell.label(shot.name)} vs its baseline: {diff.ratio:.3%} of pixels differ; "
                + "; ".join(boxes)
            )
        report.add(
            Comparison(
                test,
                "baseline",
                cell.label(shot.name),
                "baseline",
                diff.ratio,
                BASELINE_MAX_RATIO,
                boxes,
                passed,
                images={"expected": str(baseline), "actual": str(actual), "diff": str(diff.diff)},
            )
        )

    diffs = pixel_diffs([(r, a, d) for _, _, r, a, d in cross_pairs])
    for (shot, reference, ref_css, actual_css, _), diff in zip(cross_pairs, diffs, strict=True):
        ref_meta = _metadata(reference)
        boxes = box_differences(ref_meta["boxes"], shot.boxes) + style_differences(
            ref_meta.get("styles", {}), shot.styles
        )
        text = _text_boxes(ref_meta["boxes"], ref_meta["origin"]) + _text_boxes(shot.boxes, shot.origin)
        ratio = ratio_outside(diff.diff, text)
        passed = ratio <= CROSS_ENGINE_MAX_RATIO and not boxes
        note = f"all pixels, text included: {diff.ratio:.2%}"
        if not verdict.font_shipped:
            note += "; the frame loaded no web font: engines use different system fonts"
        if not passed:
            verdict.cross_engine_failures.append(
                f"{cell.label(shot.name)} vs {REFERENCE_ENGINE}: {ratio:.3%} of non-text pixels differ; "
                + "; ".join(boxes)
            )
        report.add(
            Comparison(
                test,
                "cross-engine",
                cell.label(shot.name),
                cell.label(shot.name, REFERENCE_ENGINE),
                ratio,
                CROSS_ENGINE_MAX_RATIO,
                boxes,
                passed,
                note,
                images={"expected": str(ref_css), "actual": str(actual_css), "diff": str(diff.diff)},
            )
        )
    return verdict
