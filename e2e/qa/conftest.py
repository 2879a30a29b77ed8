"""The cross-engine, cross-device QA matrix: options, parametrization and fixtures.

The normal ``pytest`` run takes the subset in ``matrix.SUBSET`` (Chromium and Firefox; the
visual suite on desktop and iPhone 13 in en-GB, the others on desktop); ``bin/qa`` runs
the full matrix (``--qa-matrix=full``).
Flags narrow it: ``--engines``, ``--devices``, ``--locales`` (comma-separated);
``--update-baselines`` rewrites the baselines; ``--qa-output`` is where shots, the HTML
report and the traces kept on failure go (default: a folder of this run,
``var/qa/runs/<UTC timestamp>-<subset|full>/``, so the subset in ``bin/test`` never
overwrites a release report; ``var/qa/latest`` points to the newest). The flags exist when
pytest is pointed at this folder (``bin/qa`` or ``pytest e2e/qa``).

In parallel (pytest-xdist, ``-n 2 --dist loadgroup``, as ``bin/qa`` runs it) each engine
and device is one group that one worker runs in order (``xdist_group``), so a worker
starts an engine once for many tests and WebKit's display changes size once per group;
every worker has its own app, redis-server, ports, display and temporary folders (all
session fixtures, per process). The report is merged across workers (run_record.py).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import BaseWSGIServer, make_server

from bff import create_app
from bff.demo import customer_token
from bff.store.embedded import EmbeddedRedis
from e2e.loopback import free_port, loopback_settings
from e2e.qa.browser_tab import BrowserTab
from e2e.qa.engine_pool import EnginePool
from e2e.qa.matrix import DEVICES, ENGINES, LOCALES, SUBSET, Device
from e2e.qa.report import Report, plain_id
from e2e.qa.run_record import option, process_name, run_folder
from e2e.qa.server import Faults, QaServer, RequestLog, qa_wsgi
from e2e.qa.visual_identity import THRESHOLDS

# Payment schedules show dates: the server's clock is frozen so screenshots do not age.
FROZEN_NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
SERVER_SHUTDOWN_TIMEOUT_S = 10
REPORT_KEY = pytest.StashKey[dict[str, pytest.TestReport]]()
# Tests that compare engines within one process (Chromium's result first): one xdist group.
SAME_PROCESS_GROUPS = {"test_layout_switch.py": "layout-switch"}


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("qa", "cross-engine QA matrix (e2e/qa)")
    group.addoption(
        "--qa-matrix", choices=("subset", "full"), default="subset", help="subset (default) or full"
    )
    group.addoption("--engines", default=None, help=f"comma-separated, of: {', '.join(ENGINES)}")
    group.addoption("--devices", default=None, help=f"comma-separated, of: {', '.join(DEVICES)}")
    group.addoption("--locales", default=None, help=f"comma-separated, of: {', '.join(LOCALES)}")
    group.addoption("--update-baselines", action="store_true", help="rewrite e2e/qa/baselines from this run")
    group.addoption(
        "--qa-output",
        default=None,
        help="shots, report, kept traces (default: var/qa/runs/<timestamp>-<matrix>)",
    )


def _selected(config: pytest.Config, flag: str, key: str, known: Any) -> list[str]:
    chosen = option(config, flag)
    if chosen is None:
        full = option(config, "--qa-matrix", "subset") == "full"
        return list(known) if full else list(SUBSET[key])
    names = [name.strip() for name in chosen.split(",") if name.strip()]
    unknown = [name for name in names if name not in known]
    if unknown:
        raise pytest.UsageError(f"{flag}: unknown {', '.join(unknown)}; known: {', '.join(known)}")
    return names


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "qa: cross-engine QA matrix (e2e/qa); the normal run takes a subset, bin/qa the full matrix",
    )
    config.addinivalue_line("markers", "devices(*names): run this QA test on these devices only")
    config.addinivalue_line(
        "markers", "sharp_frames: visual shots; Chromium frames rasterised at device scale (engine_pool)"
    )
    if option(config, "--update-baselines", False) and option(config, "numprocesses", None):
        raise pytest.UsageError(
            "--update-baselines runs in one process (add -n 0): the cross-engine checks read "
            "Chromium's baselines while the run rewrites them"
        )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    config = metafunc.config
    if "engine" in metafunc.fixturenames:
        metafunc.parametrize("engine", _selected(config, "--engines", "engines", ENGINES))
    if "device" in metafunc.fixturenames:
        # The subset takes more devices for the visual suite (the one with a locale).
        key = "devices" if "locale" in metafunc.fixturenames else "behaviour_devices"
        devices = _selected(config, "--devices", key, DEVICES)
        only = metafunc.definition.get_closest_marker("devices")
        if only:
            devices = [name for name in devices if name in only.args]
        metafunc.parametrize("device", [DEVICES[name] for name in devices], ids=devices)
    if "locale" in metafunc.fixturenames:
        metafunc.parametrize("locale", _selected(config, "--locales", "locales", LOCALES))


@pytest.hookimpl(tryfirst=True)  # before xdist reads the xdist_group marks
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the QA tests, and order and group them by engine and device (WebKit starts a
    display per device; under xdist one worker runs each group: see the module docstring)."""
    here = Path(__file__).parent
    positions = [i for i, item in enumerate(items) if here in Path(str(item.fspath)).parents]
    qa_items = [items[i] for i in positions]
    for item in qa_items:
        item.add_marker(pytest.mark.qa)
        item.add_marker(pytest.mark.e2e)
        params = getattr(item, "callspec", None)
        engine = params.params.get("engine") if params else None
        device = params.params.get("device") if params else None
        group = SAME_PROCESS_GROUPS.get(Path(str(item.fspath)).name)
        if group is None and engine is not None:
            group = f"{engine}-{device.name}" if isinstance(device, Device) else str(engine)
        if group is not None:
            item.add_marker(pytest.mark.xdist_group(group))

    def order(item: pytest.Item) -> tuple[int, int]:
        params = getattr(item, "callspec", None)
        engine = params.params.get("engine") if params else None
        device = params.params.get("device") if params else None
        return (
            ENGINES.index(engine) if engine in ENGINES else -1,
            list(DEVICES).index(device.name) if isinstance(device, Device) else -1,
        )

    for position, item in zip(positions, sorted(qa_items, key=order), strict=True):
        items[position] = item


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Each phase's report on the item, for ``tab`` to keep artifacts of a failed test.
    Outcomes are counted from the reports by run_record.py, in the reporting process."""
    report = yield
    item.stash.setdefault(REPORT_KEY, {})[report.when] = report
    return report


@pytest.fixture(scope="session")
def qa_output(pytestconfig: pytest.Config) -> Path:
    """Where this run writes shots, the report and what it keeps on failure (one folder for
    all workers; ``var/qa/latest`` is moved by run_record.py)."""
    path = run_folder(pytestconfig)
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def update_baselines(pytestconfig: pytest.Config) -> bool:
    """True when this run rewrites the baselines."""
    return bool(option(pytestconfig, "--update-baselines", False))


@pytest.fixture(scope="session")
def qa_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[QaServer]:
    """The app on a free loopback port (own redis-server, frozen clock) behind the QA layer."""
    redis = EmbeddedRedis(tmp_path_factory.mktemp("qa-redis"))
    redis.start()
    port = free_port()
    settings = loopback_settings(
        redis.url, Path(tmp_path_factory.mktemp("qa-var")), port, events_rate_per_ip="1000/second"
    )
    app = create_app(settings)
    app.extensions["onsite.renderer"].clock = lambda: FROZEN_NOW
    server = QaServer(
        settings.public_origin,
        settings.demo_origin,
        Faults(),
        RequestLog(),
        lambda ref: customer_token(app, "demo", ref, now_s=int(FROZEN_NOW.timestamp())),
    )
    dead_origin = f"http://127.0.0.1:{free_port()}"  # nothing listens there: connection refused
    wsgi: BaseWSGIServer = make_server("127.0.0.1", port, qa_wsgi(app, server, dead_origin), threaded=True)
    thread = threading.Thread(target=wsgi.serve_forever, name="qa-server", daemon=True)
    thread.start()
    yield server
    wsgi.shutdown()
    thread.join(SERVER_SHUTDOWN_TIMEOUT_S)
    redis.stop()


@pytest.fixture(scope="session")
def engine_pool(playwright: Any) -> Iterator[EnginePool]:
    """Every engine, started once on first use and stopped at the end of the session."""
    pool = EnginePool(lambda: playwright, trace=True)
    yield pool
    pool.close()


@pytest.fixture(scope="session")
def qa_report(qa_output: Path, engine_pool: EnginePool, pytestconfig: pytest.Config) -> Iterator[Report]:
    """This process's record of comparisons, engines, skips and kept files: written after every
    test as ``parts/<process>.json``, merged with the outcomes into the run's report (run_record.py)."""
    matrix = option(pytestconfig, "--qa-matrix", "subset")
    report = Report(qa_output, THRESHOLDS, matrix=matrix, process=process_name(pytestconfig))
    yield report
    report.engines = dict(engine_pool.versions)
    report.write_part()


@pytest.fixture
def tab(
    request: pytest.FixtureRequest,
    engine: str,
    device: Device,
    engine_pool: EnginePool,
    qa_server: QaServer,
    qa_report: Report,
    qa_output: Path,
) -> Iterator[BrowserTab]:
    """A fresh tab of ``engine`` at ``device``; the test is skipped, with the reason, if the
    engine cannot be driven here. Kept on failure: a screenshot, and a trace where there is one."""
    reason = engine_pool.unavailable(engine)
    if reason:
        qa_report.skipped[engine] = reason
        pytest.skip(f"{engine} cannot be driven here: {reason}")
    qa_server.faults.clear()
    qa_server.requests.clear()
    sharp = request.node.get_closest_marker("sharp_frames") is not None
    browser_tab = engine_pool.open_tab(engine, device, sharp_frames=sharp)
    qa_report.engines = dict(engine_pool.versions)
    try:
        yield browser_tab
    finally:
        reports = request.node.stash.get(REPORT_KEY, {})
        failed = any(r.failed for r in reports.values())
        test = plain_id(request.node.nodeid)
        folder = qa_output / "artifacts" / _safe(test)
        try:
            kept = browser_tab.save_artifacts(folder, failed)
            if kept:
                qa_report.artifacts[test] = [str(p.relative_to(qa_output)) for p in kept]
        finally:
            browser_tab.close()
            qa_server.faults.clear()
            qa_report.write_part()


def _safe(nodeid: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in nodeid)[-150:]
