"""The QA run's record: every test's outcome, every comparison made, and an HTML report.

``<output>/results.json`` lists the tests' outcomes (as pytest counts them) and every
comparison (kind, shot, ratio, problems, verdict, known deviations used);
``<output>/report.html`` leads with one headline that agrees with pytest (tests passed,
failed, skipped), then a per-engine summary, the engines driven (with versions) or
skipped (with the reason), the thresholds, each failed test with the command that reruns
it, each failed comparison with the expected, actual and diff images side by side (at
device pixels against a baseline, CSS pixels across engines), the comparisons that pass
through a reviewed known deviation, a table of all comparisons, and the console's
screenshots (recorded for a person to look at, not compared). Both are rewritten after
every test, so a run that is interrupted still leaves its report. Each run has its own
folder (``var/qa/runs/<timestamp>-<matrix>/``, see run_record.py). A run in several
processes (pytest-xdist) writes one part per process (``parts/<process>.json``: all but
the outcomes), merged with the outcomes into the one report (``Report.merged``).
"""

from __future__ import annotations

import html
import json
import os
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass
class Comparison:
    test: str
    kind: str  # "baseline" (same engine) or "cross-engine"
    shot: str  # engine/device/locale/name
    reference: str
    ratio: float | None
    limit: float
    box_problems: list[str]
    passed: bool
    note: str = ""
    images: dict[str, str] = field(default_factory=dict)  # expected/actual/diff -> path
    known_deviations: list[str] = field(default_factory=list)  # reviewed entries this pass needed


def plain_id(nodeid: str) -> str:
    """A test's id without the ``@<group>`` that pytest-xdist's ``--dist loadgroup`` appends."""
    base, at, group = nodeid.rpartition("@")
    return base if at and "]" not in group and "::" not in group else nodeid


@dataclass(frozen=True)
class Screenshot:
    caption: str
    path: str  # relative to the report


@dataclass
class Report:
    output: Path
    thresholds: dict[str, str]
    comparisons: list[Comparison] = field(default_factory=list)
    engines: dict[str, str] = field(default_factory=dict)  # engine -> version
    skipped: dict[str, str] = field(default_factory=dict)  # engine -> reason
    artifacts: dict[str, list[str]] = field(default_factory=dict)  # test -> files kept
    console_shots: list[Screenshot] = field(default_factory=list)
    outcomes: dict[str, str] = field(default_factory=dict)  # test id -> passed/failed/skipped
    matrix: str = "subset"
    process: str = "main"  # whose part this is: "main", or an xdist worker's id ("gw0")

    def rerun(self, test: str) -> str:
        """The command that reruns one test by its id (the full matrix's ids need the flag)."""
        return f".venv/bin/python -m pytest -p no:logging --qa-matrix=full '{test}'"

    def _engine_summary(self) -> dict[str, dict[str, int]]:
        summary: dict[str, dict[str, int]] = {}
        empty = {"passed": 0, "failed": 0, "skipped": 0, "comparisons": 0, "known": 0}
        engines = ("chromium", "firefox", "webkit")
        for test, outcome in self.outcomes.items():
            engine = next((e for e in engines if f"[{e}-" in test or f"[{e}]" in test), "no engine")
            row = summary.setdefault(engine, dict(empty))
            row[outcome] = row.get(outcome, 0) + 1
        for c in self.comparisons:
            engine = c.shot.split("/")[0]
            row = summary.setdefault(engine, dict(empty))
            row["comparisons"] += 1
            row["known"] += bool(c.known_deviations)
        return summary

    def headline(self) -> str:
        outcomes = list(self.outcomes.values())
        counts = {k: outcomes.count(k) for k in ("passed", "failed", "skipped")}
        failed = sum(1 for c in self.comparisons if not c.passed)
        known = sum(1 for c in self.comparisons if c.known_deviations)
        return (
            f"QA {self.matrix}: {len(outcomes)} tests, {counts['passed']} passed, "
            f"{counts['failed']} failed, "
            f"{counts['skipped']} skipped (as pytest counts them); {len(self.comparisons)} comparisons, "
            f"{failed} failed, {known} passed through a reviewed known deviation"
        )

    def write_part(self) -> Path:
        """This process's share of the run (all but the outcomes): ``parts/<process>.json``."""
        folder = self.output / "parts"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{self.process}.json"
        part = {
            "engines": self.engines,
            "skipped": self.skipped,
            "artifacts": {plain_id(t): paths for t, paths in self.artifacts.items()},
            "comparisons": [asdict(c) | {"test": plain_id(c.test)} for c in self.comparisons],
            "console_shots": [asdict(s) for s in self.console_shots],
        }
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(part, indent=1), encoding="utf-8")
        temporary.replace(path)  # the reporting process never reads half a part
        return path

    @classmethod
    def merged(
        cls, output: Path, thresholds: dict[str, str], outcomes: dict[str, str], matrix: str
    ) -> Report:
        """The run's report: the outcomes pytest counted, and every process's part."""
        report = cls(output, thresholds, outcomes=dict(outcomes), matrix=matrix)
        for path in sorted((output / "parts").glob("*.json")):
            part = json.loads(path.read_text(encoding="utf-8"))
            report.engines.update(part["engines"])
            report.skipped.update(part["skipped"])
            report.artifacts.update(part["artifacts"])
            report.comparisons += [Comparison(**c) for c in part["comparisons"]]
            report.console_shots += [Screenshot(**s) for s in part["console_shots"]]
        return report

    def add(self, comparison: Comparison) -> None:
        if not comparison.passed:
            comparison.images = self._keep_images(comparison)
        self.comparisons.append(comparison)

    def _keep_images(self, comparison: Comparison) -> dict[str, str]:
        """Copy the images of a failed comparison next to the report (they may be overwritten)."""
        folder = self.output / "failures" / comparison.kind / comparison.shot
        folder.mkdir(parents=True, exist_ok=True)
        kept = {}
        for role, source in comparison.images.items():
            if source and Path(source).is_file():
                target = folder / f"{role}.png"
                shutil.copyfile(source, target)
                kept[role] = os.path.relpath(target, self.output)
        return kept

    def write(self) -> Path:
        self.output.mkdir(parents=True, exist_ok=True)
        (self.output / "results.json").write_text(
            json.dumps(
                {
                    "headline": self.headline(),
                    "matrix": self.matrix,
                    "tests": self.outcomes,
                    "reruns": {t: self.rerun(t) for t, o in self.outcomes.items() if o == "failed"},
                    "per_engine": self._engine_summary(),
                    "engines": self.engines,
                    "skipped": self.skipped,
                    "thresholds": self.thresholds,
                    "comparisons": [asdict(c) for c in self.comparisons],
                    "artifacts": self.artifacts,
                    "console_shots": [asdict(s) for s in self.console_shots],
                },
                indent=1,
            ),
            encoding="utf-8",
        )
        path = self.output / "report.html"
        path.write_text(self._html(), encoding="utf-8")
        return path

    def _html(self) -> str:
        e = html.escape
        failed = [c for c in self.comparisons if not c.passed]
        rows = "".join(
            f"<tr class={'fail' if not c.passed else 'pass'}><td>{e(c.kind)}</td><td>{e(c.shot)}</td>"
            f"<td>{e(c.reference)}</td><td>{'' if c.ratio is None else f'{c.ratio:.4%}'}</td>"
            f"<td>{c.limit:.2%}</td><td>{e('; '.join(c.box_problems) or '-')}</td>"
            f"<td>{'FAIL' if not c.passed else 'known deviation' if c.known_deviations else 'pass'}</td>"
            f"<td>{e(c.note)}</td></tr>"
            for c in self.comparisons
        )
        failed_tests = "".join(
            f"<li>{e(t)}<br><code>{e(self.rerun(t))}</code></li>"
            for t, outcome in self.outcomes.items()
            if outcome == "failed"
        )
        per_engine = "".join(
            f"<tr><td>{e(k)}</td><td>{v['passed']}</td><td>{v['failed']}</td><td>{v['skipped']}</td>"
            f"<td>{v['comparisons']}</td><td>{v['known']}</td></tr>"
            for k, v in sorted(self._engine_summary().items())
        )
        known = "".join(
            f"<li>{e(c.shot)} ({e(c.kind)}): " + e("; ".join(c.known_deviations)) + "</li>"
            for c in self.comparisons
            if c.known_deviations
        )
        failures = "".join(
            f"<section><h3>{e(c.kind)}: {e(c.shot)} vs {e(c.reference)}</h3>"
            f"<p>{e(c.note)}</p><p>{e('; '.join(c.box_problems))}</p><div class=side>"
            + "".join(
                f"<figure><figcaption>{role}</figcaption><img src='{e(src)}'></figure>"
                for role, src in c.images.items()
            )
            + "</div></section>"
            for c in failed
        )
        artifacts = "".join(
            f"<li>{e(test)}: " + ", ".join(f"<a href='{e(p)}'>{e(Path(p).name)}</a>" for p in paths) + "</li>"
            for test, paths in self.artifacts.items()
        )
        engines = "".join(f"<li>{e(v)}</li>" for v in self.engines.values())
        skipped = "".join(f"<li><b>{e(k)}</b> skipped: {e(v)}</li>" for k, v in self.skipped.items())
        thresholds = "".join(f"<li>{e(k)}: {e(v)}</li>" for k, v in self.thresholds.items())
        console = "".join(
            f"<figure><figcaption>{e(s.caption)}</figcaption>"
            f"<a href='{e(s.path)}'><img class=shot src='{e(s.path)}' alt='{e(s.caption)}'></a></figure>"
            for s in self.console_shots
        )
        return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>QA report</title>
<style>
body {{ font: 14px/1.4 sans-serif; margin: 24px; }}
table {{ border-collapse: collapse; }} td, th {{ border: 1px solid #ccc; padding: 2px 6px; }}
tr.fail td {{ background: #fde8e8; }}
.side {{ display: flex; gap: 12px; align-items: flex-start; }}
figure {{ margin: 0; }} img {{ max-width: 420px; border: 1px solid #999; background: #fff; }}
.shots {{ display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }}
.shots figure {{ width: 320px; }}
img.shot {{ width: 100%; height: auto; max-height: 640px; object-fit: cover; object-position: top; }}
</style></head><body>
<h1>{e(self.headline())}</h1>
<h2>Per engine</h2>
<table><tr><th>engine</th><th>tests passed</th><th>failed</th><th>skipped</th><th>comparisons</th>
<th>known deviations</th></tr>{per_engine}</table>
<h2>Engines</h2><ul>{engines}{skipped}</ul>
<h2>Thresholds</h2><ul>{thresholds}</ul>
<h2>Failed tests, and how to rerun each</h2><ul>{failed_tests or "<li>None.</li>"}</ul>
<h2>Failed comparisons</h2>{failures or "<p>None.</p>"}
<h2>Known deviations (reviewed, e2e/qa/known_deviations.json)</h2><ul>{known or "<li>None used.</li>"}</ul>
<h2>Kept on failure (traces, screenshots)</h2><ul>{artifacts or "<li>None.</li>"}</ul>
<h2>All comparisons</h2>
<table><tr><th>kind</th><th>shot</th><th>reference</th><th>pixels differing</th><th>limit</th>
<th>layout boxes off by more than 1px</th><th>verdict</th><th>note</th></tr>{rows}</table>
<h2>Console</h2>
<p>Full-page screenshots of the merchant console, recorded, not compared
(the top of each; open one for all of it).</p>
<div class=shots>{console or "<p>None in this run.</p>"}</div>
</body></html>
"""
