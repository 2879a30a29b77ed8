"""Checks shots against their committed baselines and against the reference engine's.

Baselines live in ``e2e/qa/baselines/<engine>/<device>/<locale>/<shot>.png``, each with
a ``.json`` of its CSS size, layout boxes, styles, copy lines and facts. Two checks per shot:

1. **Baseline** (same engine and device): pixels, text included, at the device's pixel
   ratio, anti-aliased pixels counted, at most ``BASELINE_MAX_RATIO`` differ (a glyph or a
   border moved by one pixel fails: ``test_one_pixel_shift_fails_the_baseline``); layout
   boxes within 1 px; styles and copy lines equal.
2. **Cross-engine** (every engine but the reference, against the reference engine's
   baseline of the same device, locale and shot): the same copy (variant, words, lines,
   wrapping points), layout boxes within 1 px, computed styles equal; at most
   ``CROSS_ENGINE_MAX_RATIO`` of the pixels outside text runs differ (CSS pixels); and the
   whole shot's SSIM at least ``SSIM_MIN`` (per-region SSIM recorded in the report).

Text pixels are not compared across engines pixel by pixel: the same font at the same place
rasterises differently per engine (gamma, hinting); what defines the text is held exactly
(its words, lines, boxes, colour and font). Figures: docs/qa.md.

An engine's accepted difference is a reviewed entry in ``known_deviations.json`` (engine,
cells, element, tolerance, measurement, reason), shown as such in the report: no xfail.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from e2e.qa import known_deviations
from e2e.qa.image_diff import (
    box_differences,
    copy_differences,
    css_pixels,
    pixel_diffs,
    ratio_outside,
    style_differences,
)
from e2e.qa.matrix import REFERENCE_ENGINE
from e2e.qa.report import Comparison, Report
from e2e.qa.shots import TEXT_BOXES, Shot
from e2e.qa.ssim import region_ssim

BASELINES = Path(__file__).parent / "baselines"
# Same engine, same machine: measured 0 differing pixels; one glyph moved by one device
# pixel differs in far more than this (docs/qa.md).
BASELINE_MAX_RATIO = 0.0001
CROSS_ENGINE_MAX_RATIO = 0.015
# Whole-shot SSIM across engines at CSS pixels: a coarse guard (another image, a missing
# part); measured 0.749 to 0.976 between engines with identical structure (docs/qa.md).
SSIM_MIN = 0.70
THRESHOLDS = {
    "baseline (same engine and device, device pixels, text included)": (
        f"at most {BASELINE_MAX_RATIO:.2%} of pixels differ, anti-aliased pixels counted"
    ),
    "cross-engine copy": "same variant (full/compact), same words on the same lines, every text element",
    "cross-engine pixels (vs the chromium baseline, CSS pixels)": (
        f"at most {CROSS_ENGINE_MAX_RATIO:.1%} of the pixels outside text runs differ"
    ),
    "cross-engine SSIM (CSS pixels, 7x7 windows)": f"whole shot at least {SSIM_MIN}; per region recorded",
    "pixelmatch": "threshold 0.1 (YIQ)",
    "layout boxes": "every key element's box within 1 px (x, y, width, height), both checks",
    "styles": "computed colours, font family, weight, size, line height of key elements equal, both checks",
    "known deviations": "reviewed entries in e2e/qa/known_deviations.json only",
}
DEVIATIONS = known_deviations.load()


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


def _regions(
    boxes: dict[str, list[list[float]]], origin: list[float] | tuple[float, float]
) -> dict[str, list[float]]:
    """Every shown key element's box, relative to the shot, by ``name[index]``."""
    return {
        f"{name}[{i}]": [x - origin[0], y - origin[1], w, h]
        for name, found in boxes.items()
        if name not in ("root", "iframe")
        for i, (x, y, w, h) in enumerate(found)
        if w > 0 and h > 0
    }


def _describe(deviation: known_deviations.Deviation) -> str:
    widened = [f"{k} within {v:g} px" for k, v in deviation.box_tolerance_px.items()]
    if deviation.max_non_text_ratio is not None:
        widened.append(f"non-text pixels up to {deviation.max_non_text_ratio:.1%}")
    return f"{', '.join(widened)} (measured: {deviation.measured}): {deviation.why}"


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

    diffs = pixel_diffs([(b, a, d) for _, b, a, d in baseline_pairs], include_aa=True)
    for (shot, baseline, actual, _), diff in zip(baseline_pairs, diffs, strict=True):
        meta = _metadata(baseline)
        boxes = (
            box_differences(meta["boxes"], shot.boxes)
            + style_differences(meta.get("styles", {}), shot.styles)
            + copy_differences(meta.get("lines", {}), shot.lines)
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
        accepted = known_deviations.applying(DEVIATIONS, cell.engine, cell.device, cell.locale, shot.name)
        tolerances = {k: v for d in accepted for k, v in d.box_tolerance_px.items()}
        limit = max([CROSS_ENGINE_MAX_RATIO] + [d.max_non_text_ratio or 0.0 for d in accepted])
        problems = (
            copy_differences(ref_meta.get("lines", {}), shot.lines)
            + box_differences(ref_meta["boxes"], shot.boxes, tolerances=tolerances)
            + style_differences(ref_meta.get("styles", {}), shot.styles)
        )
        text = _text_boxes(ref_meta["boxes"], ref_meta["origin"]) + _text_boxes(shot.boxes, shot.origin)
        ratio = ratio_outside(diff.diff, text)
        ssim = region_ssim(
            ref_css.read_bytes(), actual_css.read_bytes(), _regions(ref_meta["boxes"], ref_meta["origin"])
        )
        if ssim["all"] < SSIM_MIN:
            problems.append(f"SSIM {ssim['all']:.3f} < {SSIM_MIN}")
        passed = ratio <= limit and not problems
        worst = sorted((v, k) for k, v in ssim.items() if k != "all")[:3]
        note = f"SSIM {ssim['all']:.3f} (lowest regions: " + ", ".join(f"{k} {v:.2f}" for v, k in worst) + ")"
        note += f"; all pixels, text included: {diff.ratio:.2%}"
        # The entries this comparison needed: an element off by more than 1 px, or more
        # differing non-text pixels than the general limit.
        strict = box_differences(ref_meta["boxes"], shot.boxes)
        used = [
            d
            for d in accepted
            if any(p.split("[")[0] in d.box_tolerance_px for p in strict)
            or (d.max_non_text_ratio is not None and ratio > CROSS_ENGINE_MAX_RATIO)
        ]
        if not verdict.font_shipped:
            note += "; the frame loaded no web font: engines use different system fonts"
        if not passed:
            verdict.cross_engine_failures.append(
                f"{cell.label(shot.name)} vs {REFERENCE_ENGINE}: {ratio:.3%} of non-text pixels differ; "
                + "; ".join(problems)
            )
        report.add(
            Comparison(
                test,
                "cross-engine",
                cell.label(shot.name),
                cell.label(shot.name, REFERENCE_ENGINE),
                ratio,
                limit,
                problems,
                passed,
                note,
                images={"expected": str(ref_css), "actual": str(actual_css), "diff": str(diff.diff)},
                known_deviations=[_describe(d) for d in used],
            )
        )
    return verdict
