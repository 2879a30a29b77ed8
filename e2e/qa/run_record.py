"""One QA run's report, however many processes ran its tests (pytest-xdist's ``-n``).

Every process that runs QA tests (the one pytest process, or each xdist worker) keeps its
own :class:`~e2e.qa.report.Report` of comparisons, engines, skips, kept artifacts and
console shots, and writes it after every test as ``<run>/parts/<process>.json``
(``Report.write_part``). The process that reports to the terminal (the one pytest
process, or xdist's controller) counts each QA test's outcome from the test reports it
receives, as pytest's own summary counts them, and after every test merges its outcomes
with every part into one ``results.json`` and ``report.html`` (``Report.merged``). So
the headline agrees with pytest whether the run used one process or several, and an
interrupted run still leaves its report.

The run folder is chosen once, by that process (``var/qa/runs/<timestamp>-<matrix>/`` or
``--qa-output``), and handed to xdist's workers in their ``workerinput``; only it moves
``var/qa/latest``. Registered by the root ``conftest.py``, so xdist's controller has it
however pytest is pointed (the controller collects nothing, so it never loads
``e2e/qa/conftest.py`` unless pytest was pointed at that folder).
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest

from e2e.qa.report import Report, plain_id

REPO = Path(__file__).resolve().parents[2]
RUNS = REPO / "var" / "qa" / "runs"
QA_TESTS = "e2e/qa/"
WORKER_FOLDER_KEY = "qa_run_folder"


def option(config: pytest.Config, name: str, default: Any = None) -> Any:
    """An option of e2e/qa/conftest.py, or ``default`` when pytest was not pointed at e2e/qa."""
    try:
        return config.getoption(name)
    except ValueError:
        return default


def is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def process_name(config: pytest.Config) -> str:
    """``gw0``, ``gw1``... in an xdist worker; ``main`` in a run of one process."""
    workerinput = getattr(config, "workerinput", None)
    return str(workerinput["workerid"]) if workerinput else "main"


def run_folder(config: pytest.Config) -> Path:
    """This run's folder: ``--qa-output``, the controller's choice (in a worker), or a new
    ``var/qa/runs/<UTC timestamp>-<matrix>`` chosen once (not created here)."""
    workerinput = getattr(config, "workerinput", None)
    if workerinput and WORKER_FOLDER_KEY in workerinput:
        return Path(workerinput[WORKER_FOLDER_KEY])
    chosen = option(config, "--qa-output")
    if chosen:
        return Path(chosen)
    if not hasattr(config, "_qa_run_folder"):
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        matrix = option(config, "--qa-matrix", "subset")
        config._qa_run_folder = RUNS / f"{stamp}-{matrix}"  # type: ignore[attr-defined]
    folder: Path = config._qa_run_folder  # type: ignore[attr-defined]
    return folder


class RunRecord:
    """The reporting process's side: outcomes as pytest counts them, parts merged into one report."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.outcomes: dict[str, str] = {}
        self._started = False

    def pytest_configure(self, config: pytest.Config) -> None:
        """Choose the folder before any worker starts; one reused through ``--qa-output``
        loses the parts a previous run left in it."""
        if is_worker(config):
            return
        folder = run_folder(config)
        if option(config, "--qa-output"):
            shutil.rmtree(folder / "parts", ignore_errors=True)

    @pytest.hookimpl(optionalhook=True)
    def pytest_configure_node(self, node: Any) -> None:
        """xdist: each worker writes into this run's folder."""
        node.workerinput[WORKER_FOLDER_KEY] = str(run_folder(self.config))

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if is_worker(self.config) or not report.nodeid.startswith(QA_TESTS):
            return
        test = plain_id(report.nodeid)
        if report.failed:
            self.outcomes[test] = "failed"
        elif report.skipped and self.outcomes.get(test) != "failed":
            self.outcomes[test] = "skipped"
        elif report.when == "call" and report.passed:
            self.outcomes[test] = "passed"
        if report.when == "teardown":
            self.write()

    def _start(self) -> Path:
        """Create the run folder once, and point ``var/qa/latest`` at it (a folder under it)."""
        folder = run_folder(self.config)
        if not self._started:
            self._started = True
            folder.mkdir(parents=True, exist_ok=True)
            if folder.parent == RUNS:
                latest = RUNS.parent / "latest"
                latest.unlink(missing_ok=True)
                latest.symlink_to(folder.relative_to(latest.parent))
        return folder

    def report(self) -> Report | None:
        """This run's merged report, or None when no QA test has run."""
        if not self.outcomes:
            return None
        from e2e.qa.visual_identity import THRESHOLDS  # numpy and PIL: only for a run with QA tests

        folder = self._start()
        matrix = option(self.config, "--qa-matrix", "subset")
        return Report.merged(folder, THRESHOLDS, self.outcomes, matrix)

    def write(self) -> Report | None:
        report = self.report()
        if report is not None:
            report.write()
        return report

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        """The report, rewritten once every test has ended, its headline and each failed test's rerun."""
        if is_worker(self.config):
            return
        report = self.write()
        if report is None:
            return
        terminalreporter.write_line(f"QA report: {report.output / 'report.html'}")
        terminalreporter.write_line(report.headline())
        for test, outcome in report.outcomes.items():
            if outcome == "failed":
                terminalreporter.write_line(f"  rerun: {report.rerun(test)}")
