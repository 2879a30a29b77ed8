"""Browser fixtures: a live server on loopback and Debian's Chromium driven by Playwright.

The demo shop is served on ``localhost`` and the frames on ``127.0.0.1``: two origins,
so every test crosses the real cross-origin path. ``playwright install`` cannot download
browsers here, so pytest-playwright launches the system Chromium.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page
from werkzeug.serving import BaseWSGIServer, make_server

from bff import create_app
from bff.demo import customer_token
from bff.store.embedded import EmbeddedRedis
from e2e.loopback import free_port, loopback_settings

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SERVER_SHUTDOWN_TIMEOUT_S = 10
LIVE_PASSWORD = "correct horse battery"
_users = itertools.count(1)


@dataclass(frozen=True)
class LiveServer:
    public_origin: str
    demo_origin: str
    # Signs a customer token for a demo shopper, as the merchant's server would.
    customer_token: Callable[[str], str]
    # Creates a console/dashboard user (role, merchant or None); returns (username, TOTP secret).
    # The password is LIVE_PASSWORD.
    create_user: Callable[[str, str | None], tuple[str, str]]

    @property
    def demo_url(self) -> str:
        return f"{self.demo_origin}/demo"


@pytest.fixture(scope="session")
def live_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedRedis]:
    """The live server's own redis-server.

    Not the shared ``redis_server``: another app started on that one (the monitoring
    dashboard's test does) seeds the demo merchant with its own origin as the only
    allowed one, and the live server's frames would then be refused by frame-ancestors.
    """
    server = EmbeddedRedis(tmp_path_factory.mktemp("live-redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def live_server(live_redis: EmbeddedRedis, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The app on a free loopback port in a thread; stopped (with a timeout) after the session."""
    port = free_port()
    settings = loopback_settings(live_redis.url, Path(tmp_path_factory.mktemp("var")), port)
    bff = create_app(settings)
    live = LiveServer(
        settings.public_origin,
        settings.demo_origin,
        lambda ref: customer_token(bff, "demo", ref),
        lambda role, merchant: _create_user(bff, role, merchant),
    )
    app = _serving_fixture_pages(bff, live)
    server: BaseWSGIServer = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield live
    server.shutdown()
    thread.join(SERVER_SHUTDOWN_TIMEOUT_S)


def _create_user(app: Any, role: str, merchant: str | None) -> tuple[str, str]:
    username = f"live-{role.replace('_', '-')}-{next(_users)}"
    user = app.extensions["onsite.users"].create(
        username, role, LIVE_PASSWORD, dt.datetime.now(dt.UTC), merchant
    )
    return username, str(user.totp_secret)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Launch Debian's Chromium instead of a downloaded browser."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


PAGES_DIR = Path(__file__).parent / "pages"
FOREIGN_ORIGIN = "http://evil.test"


@dataclass(frozen=True)
class FixturePages:
    """Opens e2e/pages/<name>.html as the merchant's page (or, with FOREIGN_ORIGIN, a foreign site's)."""

    page: Any
    server: LiveServer

    def url(self, name: str, origin: str | None = None) -> str:
        return f"{origin or self.server.demo_origin}/e2e/{name}.html"

    def open(self, name: str, query: str = "") -> Any:
        self.page.goto(self.url(name) + query)
        return self.page


def _fixture_page(server: LiveServer, name: str) -> str | None:
    """A fixture page's HTML with {{PUBLIC_ORIGIN}}, {{DEMO_ORIGIN}} and {{FOREIGN_ORIGIN}} filled in,
    and {{TOKEN:<ref>}} replaced by a customer token the shop's server signed for <ref>."""
    path = PAGES_DIR / f"{name}.html"
    if not name.replace("-", "").isalnum() or not path.is_file():
        return None
    html = path.read_text(encoding="utf-8")
    for key, value in {
        "PUBLIC_ORIGIN": server.public_origin,
        "DEMO_ORIGIN": server.demo_origin,
        "FOREIGN_ORIGIN": FOREIGN_ORIGIN,
    }.items():
        html = html.replace("{{" + key + "}}", value)
    return re.sub(r"\{\{TOKEN:([\w.-]+)\}\}", lambda m: server.customer_token(m.group(1)), html)


def _serving_fixture_pages(app: Any, server: LiveServer) -> Any:
    """The app, plus GET /e2e/<name>.html serving e2e/pages on both loopback origins.

    Pages come from the live server itself: Chromium's local network access checks block
    a page that Playwright fulfils (a "public" page) from loading our loopback scripts.
    """

    def wsgi(environ: dict[str, Any], start_response: Any) -> Any:
        path = environ.get("PATH_INFO", "")
        if not path.startswith("/e2e/"):
            return app(environ, start_response)
        html = _fixture_page(server, path.removeprefix("/e2e/").removesuffix(".html"))
        if html is None:
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not found"]
        start_response(
            "200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store")]
        )
        return [html.encode("utf-8")]

    return wsgi


@pytest.fixture
def fixture_pages(page: Any, live_server: LiveServer) -> FixturePages:
    """Fixture pages: /e2e/<name>.html on the merchant and widget origins (served by the live
    server), and on FOREIGN_ORIGIN (fulfilled by a Playwright route: another site)."""

    def fulfil(route: Any) -> None:
        name = route.request.url.split("/e2e/", 1)[1].split("?", 1)[0].removesuffix(".html")
        html = _fixture_page(live_server, name)
        if html is None:
            route.fulfill(status=404, body="not found")
        else:
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)

    page.context.route(f"{FOREIGN_ORIGIN}/e2e/**", fulfil)
    return FixturePages(page, live_server)


@pytest.fixture
def page_problems(page: Any) -> list[str]:
    """Console errors and uncaught exceptions of the page (any frame), recorded as they happen."""
    problems: list[str] = []
    page.on(
        "console", lambda message: message.type == "error" and problems.append(f"console: {message.text}")
    )
    page.on("pageerror", lambda error: problems.append(f"pageerror: {error}"))
    return problems


# Playwright launches Chromium with these features disabled; the same list minus
# ThirdPartyStoragePartitioning. With partitioning off, this Chromium denies a cross-site
# frame any storage, while shoppers' browsers (Chrome, Safari, Firefox) give it
# partitioned storage: the widget frame's sessionStorage cache needs the latter.
PLAYWRIGHT_DISABLED_FEATURES = [
    "AvoidUnnecessaryBeforeUnloadCheckSync",
    "DestroyProfileOnBrowserClose",
    "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable",
    "LensOverlay",
    "MediaRouter",
    "PaintHolding",
    "AvoidCorsURLLoaderRestartOnRedirect",
    "OptimizationHints",
    "NetworkTimeServiceQuerying",
    "AimEnabled",
    "PreconnectToSearch",
]


@pytest.fixture(scope="session")
def partitioned_browser(playwright: Any) -> Iterator[Any]:
    """Chromium with partitioned third-party storage, as shoppers' browsers have it."""
    args = [*CHROMIUM_ARGS, "--disable-features=" + ",".join(PLAYWRIGHT_DISABLED_FEATURES)]
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=args)
    yield browser
    browser.close()


@pytest.fixture
def partitioned_page(partitioned_browser: Any) -> Iterator[Any]:
    """A fresh page (own context) in the partitioned-storage browser."""
    context = partitioned_browser.new_context()
    yield context.new_page()
    context.close()


@pytest.fixture(scope="session")
def firefox_browser(playwright: Any) -> Iterator[Any]:
    """Debian's Firefox ESR through Playwright's BiDi path. Without it the tests fail rather than
    skip: bin/setup installs it, so its absence is a setup bug, not a gap to hide."""
    from e2e.qa.engine_pool import FIREFOX, FIREFOX_PREFS  # (it imports this module)

    assert Path(FIREFOX).exists(), f"{FIREFOX} is missing: run bin/setup (Debian: firefox-esr)"
    browser = playwright.firefox.launch(
        channel="moz-firefox", executable_path=FIREFOX, firefox_user_prefs=FIREFOX_PREFS
    )
    yield browser
    browser.close()


@pytest.fixture(params=["chromium", "firefox"])
def engine_page(request: pytest.FixtureRequest) -> Iterator[tuple[Page, list[str]]]:
    """A fresh page in each engine, and the console warnings it logs."""
    browser = request.getfixturevalue("browser" if request.param == "chromium" else "firefox_browser")
    context = browser.new_context()
    page = context.new_page()
    warnings: list[str] = []
    page.on("console", lambda message: message.type == "warning" and warnings.append(message.text))
    yield page, warnings
    context.close()
