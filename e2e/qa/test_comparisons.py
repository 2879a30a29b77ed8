"""The QA matrix's pure comparison helpers, without a browser: SSIM, copy lines, deviations."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from e2e.qa import known_deviations
from e2e.qa.image_diff import box_differences, copy_differences
from e2e.qa.ssim import region_ssim


def _png(offset: int = 0, colour: str = "black") -> bytes:
    image = Image.new("RGB", (80, 40), "white")
    ImageDraw.Draw(image).rectangle([10 + offset, 10, 40 + offset, 25], outline=colour, width=1)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def test_ssim_is_one_for_the_same_image_and_drops_for_a_moved_or_missing_border() -> None:
    region = {"box": [8.0, 8.0, 36.0, 20.0]}
    same = region_ssim(_png(), _png(), region)
    moved = region_ssim(_png(), _png(offset=1), region)
    missing = region_ssim(_png(), _png(colour="white"), region)
    assert same == {"all": pytest.approx(1.0), "box": pytest.approx(1.0)}
    assert moved["box"] < 0.9 and missing["box"] < moved["box"], (moved, missing)


def test_ssim_scores_a_region_outside_the_common_area_zero() -> None:
    scores = region_ssim(_png(), _png(), {"gone": [100.0, 100.0, 5.0, 5.0]})
    assert scores["gone"] == 0.0 and np.isclose(scores["all"], 1.0)


def test_copy_differences_name_other_words_lines_or_variant() -> None:
    full = {"variant": [["full"]], "badge": [["Shop now, pay later", "Learn more"]]}
    assert copy_differences(full, json.loads(json.dumps(full))) == []
    rewrapped = {"variant": [["full"]], "badge": [["Shop now, pay", "later", "Learn more"]]}
    compact = {"variant": [["compact"]], "badge": [["4 × £24.75 Learn more"]]}
    assert [p.split(" ")[0] for p in copy_differences(full, rewrapped)] == ["badge"]
    assert [p.split(" ")[0] for p in copy_differences(full, compact)] == ["badge", "variant"]


def test_box_tolerance_can_be_widened_per_element_only() -> None:
    want = {"radios": [[0, 0, 16, 16]], "title": [[0, 0, 100, 20]]}
    got = {"radios": [[0, 0, 18, 16]], "title": [[0, 0, 102, 20]]}
    problems = box_differences(want, got, tolerances={"radios": 2.0})
    assert [p.split("[")[0] for p in problems] == ["title"]


def test_the_committed_deviations_file_is_valid_and_entries_match_their_cells(tmp_path: Path) -> None:
    known_deviations.load()  # the committed file parses, every entry complete
    entry = {
        "engine": "webkit",
        "devices": ["iphone-13"],
        "locales": ["*"],
        "shots": ["interstitial-open"],
        "box_tolerance_px": {"radios": 2},
        "max_non_text_ratio": None,
        "measured": "1.8 px",
        "why": "native control",
        "reviewed": "2026-12-06",
    }
    path = tmp_path / "deviations.json"
    path.write_text(json.dumps({"deviations": [entry]}), encoding="utf-8")
    (deviation,) = known_deviations.load(path)
    assert known_deviations.applying([deviation], "webkit", "iphone-13", "de-DE", "interstitial-open")
    assert not known_deviations.applying([deviation], "webkit", "ipad", "de-DE", "interstitial-open")
    assert not known_deviations.applying([deviation], "firefox", "iphone-13", "de-DE", "interstitial-open")
    path.write_text(json.dumps({"deviations": [{"engine": "webkit"}]}), encoding="utf-8")
    with pytest.raises(ValueError, match="missing devices"):
        known_deviations.load(path)
