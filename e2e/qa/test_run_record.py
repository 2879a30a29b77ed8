"""One report for a run in several processes: each process's part, merged with the outcomes."""

from __future__ import annotations

import json
from pathlib import Path

from e2e.qa.report import Comparison, Report, Screenshot, plain_id

CELL = "e2e/qa/test_visual_identity.py::test_render[firefox-ipad-de-DE]"


def test_xdist_group_suffixes_are_dropped_from_test_ids_and_nothing_else() -> None:
    assert plain_id(f"{CELL}@firefox-ipad") == CELL
    assert plain_id(CELL) == CELL
    assert plain_id("e2e/qa/test_x.py::test_y[a@b]") == "e2e/qa/test_x.py::test_y[a@b]"


def test_parts_of_every_process_merge_into_one_report(tmp_path: Path) -> None:
    for process, engine in (("gw0", "chromium"), ("gw1", "firefox")):
        part = Report(tmp_path, {"pixels": "0.1 %"}, process=process)
        part.engines[engine] = f"{engine} 1.0"
        part.artifacts[f"{CELL}@{engine}-ipad"] = ["artifacts/x/trace.zip"]
        part.add(
            Comparison(
                f"{CELL}@{engine}-ipad", "baseline", f"{engine}/ipad/de-DE/badge", "b", 0.0, 0.1, [], True
            )
        )
        part.console_shots.append(Screenshot(f"{engine} shot", "shots/console/x.png"))
        part.write_part()
    outcomes = {CELL: "failed", "e2e/qa/test_comparisons.py::test_ssim": "passed"}

    report = Report.merged(tmp_path, {"pixels": "0.1 %"}, outcomes, "full")
    report.write()

    results = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert results["headline"].startswith("QA full: 2 tests, 1 passed, 1 failed, 0 skipped")
    assert set(results["engines"]) == {"chromium", "firefox"}
    assert [c["test"] for c in results["comparisons"]] == [CELL, CELL]
    assert list(results["artifacts"]) == [CELL]
    assert len(results["console_shots"]) == 2
    assert list(results["reruns"]) == [CELL]
