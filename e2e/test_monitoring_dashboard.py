"""The monitoring dashboard in Chromium: log in, read the overview, acknowledge, drill down, log out
(after which the old session cookie no longer works)."""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyotp
import pytest
import redis
from playwright.sync_api import Page, expect
from werkzeug.serving import make_server

from bff import create_app
from bff.monitoring.detection.detector import Detector
from bff.monitoring.rollups.aggregation import MINUTE_MS, CountedEvent, increments
from bff.monitoring.rollups.store import RollupStore
from bff.store.embedded import EmbeddedRedis
from e2e.loopback import free_port, loopback_settings

pytestmark = pytest.mark.e2e

TOTP_SECRETS: dict[str, str] = {}
PASSWORD = "dashboard password for e2e"
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(e.violatedDirective));
"""


def seed(client: redis.Redis) -> None:
    """Yesterday's hour around this minute and today's last 30 minutes of two merchants, then a
    failed-authorization spike at acme. (The detector compares spans of up to 60 minutes with
    the same spans on past days: the history covers them, as a day of real traffic would.)"""
    minute = int(time.time() * 1000) // MINUTE_MS - 2
    counts: Counter = Counter()  # type: ignore[type-arg]
    for m in [*range(minute - 1440 - 65, minute - 1437), *range(minute - 30, minute + 1)]:
        for merchant, browser, n in (("acme", "Chrome", 40), ("acme", "Firefox", 20), ("zeta", "Chrome", 30)):
            values = {
                "merchant": merchant,
                "country": "SE",
                "browser": browser,
                "device": "desktop",
                "channel": "direct",
                "payment_method": "pay_in_4",
            }
            failures = 300 if (m == minute and merchant == "acme") else 1
            events = [CountedEvent("", m * MINUTE_MS, values, ("impression",))] * (n * 3)
            events += [CountedEvent("", m * MINUTE_MS, values, ("session",))] * n
            events += [
                CountedEvent("", m * MINUTE_MS, values, ("authorization", "authorization_success"))
            ] * n
            events += [
                CountedEvent("", m * MINUTE_MS, values, ("authorization", "authorization_failure"))
            ] * failures
            events += [CountedEvent("", m * MINUTE_MS, values, ("order_created",))] * (n // 5)
            counts += increments(events)
    store = RollupStore(client)
    store.add_counts(counts)
    detector = Detector(client)
    for offset in (2, 1):
        detector._sweep_minute(minute, 1.0, (minute + 1) * MINUTE_MS - offset)


@contextmanager
def serving(
    redis_server: EmbeddedRedis, var_dir: Path, seed_with: Callable[[redis.Redis], None]
) -> Iterator[tuple[Any, str]]:
    """A monitoring keyspace emptied then seeded by ``seed_with``, and an app serving it on a
    free loopback port: (app, dashboard URL); stopped with a timeout."""
    client = redis.Redis.from_url(redis_server.url)
    for key in client.scan_iter("onsite:{mon}:*"):
        client.delete(key)
    seed_with(client)
    port = free_port()
    app = create_app(loopback_settings(redis_server.url, var_dir, port))
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield app, f"http://127.0.0.1:{port}/monitoring"
    finally:
        server.shutdown()
        thread.join(10)
        client.close()


@pytest.fixture(scope="module")
def dashboard_url(redis_server: EmbeddedRedis, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An app with a dashboard password on a free loopback port."""
    with serving(redis_server, Path(tmp_path_factory.mktemp("monitoring-var")), seed) as (app, url):
        user = app.extensions["onsite.users"].create("ops", "admin", PASSWORD, dt.datetime.now(dt.UTC))
        TOTP_SECRETS["ops"] = user.totp_secret
        yield url


def test_log_in_acknowledge_and_drill_down(page: Page, dashboard_url: str) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.context.add_init_script(RECORD_CSP_VIOLATIONS)

    page.goto(dashboard_url)
    expect(page).to_have_url(f"{dashboard_url}/login")
    page.get_by_label("Username").fill("ops")
    page.get_by_label("Password").fill("not the password")
    page.get_by_label("Code from your authenticator app").fill(pyotp.TOTP(TOTP_SECRETS["ops"]).now())
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_test_id("login-error")).to_have_text("Wrong username, password or code.")
    page.get_by_label("Username").fill("ops")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Code from your authenticator app").fill(pyotp.TOTP(TOTP_SECRETS["ops"]).now())
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(dashboard_url)

    # acme's spike; with the all-traffic browser combos the detector may also name the global
    # browser=Firefox node (only acme's Firefox traffic moved it) in an alert of its own
    expect(page.get_by_test_id("kpi-open")).to_have_text(re.compile(r"^[12]$"))
    expect(page.get_by_test_id("kpi-events")).not_to_have_text("–")
    expect(page.get_by_test_id("overview-chart").locator("canvas")).to_have_count(1)

    alert_row = page.get_by_test_id("anomalies").locator("tbody tr", has_text="merchant acme")
    expect(alert_row).to_have_count(1)
    expect(alert_row).to_contain_text("open")
    alert_row.get_by_role("button", name="Acknowledge").click()
    expect(alert_row).to_contain_text("open, acknowledged")
    expect(alert_row.get_by_role("button", name="Acknowledge")).to_have_count(0)

    breakdown = page.get_by_test_id("breakdown").locator("tbody tr")
    expect(breakdown.first).to_contain_text("acme")
    breakdown.first.get_by_role("button", name="acme").click()
    expect(page.get_by_test_id("crumbs")).to_contain_text("merchant: acme")
    page.get_by_test_id("dimension").select_option("browser")
    expect(breakdown).to_have_count(2)
    breakdown.get_by_role("button", name="Firefox", exact=True).click()
    expect(page.get_by_test_id("crumbs")).to_contain_text("browser: Firefox")
    page.get_by_test_id("metric").select_option("authorization_failure")
    expect(page.get_by_test_id("series-title")).to_contain_text(
        "merchant acme, browser Firefox: failed authorizations"
    )
    expect(page.get_by_test_id("series-chart").locator("canvas")).to_have_count(1)

    alert_row.get_by_role("button", name="merchant acme").click()
    expect(page.get_by_test_id("crumbs")).to_contain_text("merchant: acme")
    assert "combo=merchant%3Dacme" in page.url

    (cookie,) = [c for c in page.context.cookies() if c["name"] == "onsite_dashboard"]
    assert (cookie["path"], cookie["httpOnly"], cookie["sameSite"]) == ("/monitoring", True, "Strict")
    assert cookie["expires"] == -1  # a browser-session cookie
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{dashboard_url}/login")
    page.context.add_cookies([cookie])  # the cookie from before the logout: revoked on the server
    page.goto(dashboard_url)
    expect(page).to_have_url(f"{dashboard_url}/login")
    assert page.evaluate("window.__cspViolations") == []
    # the only failed load is the wrong password's 401 login page, on purpose
    assert [e for e in errors if "status of 401" not in e] == []
