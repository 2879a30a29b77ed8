"""The QA run's record: every comparison made, and an HTML report of the failures.

``<output>/results.json`` lists every comparison (kind, shot, ratio, box problems,
verdict); ``<output>/report.html`` shows the engines driven (with versions), the engines
skipped (with the reason), the thresholds, a table of all comparisons, and for each
failure the expected, actual and diff images side by side, then the console's screenshots
(``console_shots``: recorded for a person to look at, not compared). Both are rewritten
after every test, so a run that is interrupted still leaves its report.
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
            f"<td>{'pass' if c.passed else 'FAIL'}</td><td>{e(c.note)}</td></tr>"
            for c in self.comparisons
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
<h1>Cross-engine QA: {len(failed)} failed of {len(self.comparisons)} comparisons</h1>
<h2>Engines</h2><ul>{engines}{skipped}</ul>
<h2>Thresholds</h2><ul>{thresholds}</ul>
<h2>Failures</h2>{failures or "<p>None.</p>"}
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
