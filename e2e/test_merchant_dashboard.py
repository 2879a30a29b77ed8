"""The dashboard in Chromium for two kinds of users: a merchant admin of ``demo`` sees only
demo's figures and alerts (and another merchant's page is a 404), an analyst sees both
merchants and picks one."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pyotp
import pytest
import redis
from playwright.sync_api import Page, expect

from bff.monitoring.alerts.store import AlertStore
from bff.monitoring.detection.grouping import Candidate
from bff.monitoring.detection.hysteresis import AlertState
from bff.monitoring.rollups.aggregation import MINUTE_MS, CountedEvent, increments
from bff.monitoring.rollups.store import RollupStore
from bff.store.embedded import EmbeddedRedis
from e2e.test_monitoring_dashboard import serving

pytestmark = pytest.mark.e2e

PASSWORD = "merchant dashboard password"
SECRETS: dict[str, str] = {}
TRAFFIC = {"demo": 30, "zeta": 70}  # impressions a minute: the two merchants differ
# demo's Firefox row over the breakdown's 15 minutes (14 when a minute turned since the seed)
DEMO_ONLY = re.compile(rf"^({14 * TRAFFIC['demo']}|{15 * TRAFFIC['demo']})$")
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(e.violatedDirective));
"""


def seed(client: redis.Redis) -> None:
    """The last 20 minutes of both merchants' traffic, and one open alert about each."""
    minute = int(time.time() * 1000) // MINUTE_MS
    counts: Counter = Counter()  # type: ignore[type-arg]
    for m in range(minute - 20, minute + 1):
        for merchant, n in TRAFFIC.items():
            values = {"merchant": merchant, "country": "SE", "browser": "Firefox", "device": "desktop",
                      "channel": "direct"}  # fmt: skip
            counts += increments([CountedEvent("", m * MINUTE_MS, values, ("impression",))] * n)
    RollupStore(client).add_counts(counts)
    alerts = AlertStore(client)
    now = int(time.time() * 1000)
    for root in ("merchant=demo|browser=Firefox", "merchant=zeta"):
        alerts.raise_alert(
            Candidate(root), AlertState(root, "open", 2, 0, now), now, minute_ms=now, elapsed=1.0
        )


@pytest.fixture(scope="module")
def dashboard_url(redis_server: EmbeddedRedis, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An app with the merchants demo and zeta, a merchant admin and an analyst, on loopback."""
    with serving(redis_server, Path(tmp_path_factory.mktemp("merchant-dash")), seed) as (app, url):
        app.extensions["onsite.merchants"].save_merchant(
            {
                "client_id": "zeta",
                "name": "Zeta",
                "allowed_origins": [],
                "currencies": {"en-GB": "GBP"},
                "placements": {"credit-badge": "badge"},
            }
        )
        users = app.extensions["onsite.users"]
        now = dt.datetime.now(dt.UTC)
        SECRETS["shopkeeper"] = users.create(
            "shopkeeper", "merchant_admin", PASSWORD, now, "demo"
        ).totp_secret
        SECRETS["ana"] = users.create("ana", "analyst", PASSWORD, now).totp_secret
        yield url


def sign_in(page: Page, url: str, username: str) -> None:
    page.context.add_init_script(RECORD_CSP_VIOLATIONS)
    page.goto(url)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Code from your authenticator app").fill(pyotp.TOTP(SECRETS[username]).now())
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(url)


def test_a_merchant_admin_sees_only_its_merchant(page: Page, dashboard_url: str) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, dashboard_url, "shopkeeper")
    expect(page.get_by_role("heading", name="Real-time monitoring: demo")).to_be_visible()
    expect(page.get_by_test_id("kpi-events")).to_have_text(str(TRAFFIC["demo"]))
    expect(page.get_by_test_id("crumbs")).to_have_text("merchant: demo")
    alerts = page.get_by_test_id("anomalies").locator("tbody tr")
    expect(alerts).to_have_count(1)
    expect(alerts).to_contain_text("merchant demo, browser Firefox")
    expect(alerts.get_by_role("button", name="Acknowledge")).to_have_count(0)
    expect(page.get_by_test_id("dimension").locator("option[value=merchant]")).to_have_count(0)
    page.get_by_test_id("dimension").select_option("browser")
    rows = page.get_by_test_id("breakdown").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.locator("td").nth(1)).to_have_text(DEMO_ONLY)
    expect(page.get_by_test_id("series-chart").locator("canvas")).to_have_count(1)
    assert "zeta" not in page.content()

    page.get_by_test_id("nav-results").click()
    expect(page).to_have_url(f"{dashboard_url}/merchants/demo")
    expect(page.get_by_test_id("merchant-page")).to_have_attribute("data-merchant", "demo")
    expect(page.get_by_test_id("funnel-chart")).to_be_visible()
    expect(page.get_by_test_id("merchant-anomalies").locator("tbody tr")).to_contain_text("merchant demo")
    expect(page.get_by_test_id("merchant-picker")).to_have_count(0)
    assert "zeta" not in page.content()
    assert page.goto(f"{dashboard_url}/merchants/zeta").status == 404  # type: ignore[union-attr]
    assert page.goto(f"{dashboard_url}/merchants/zeta/funnel.csv").status == 404  # type: ignore[union-attr]
    page.goto(f"{dashboard_url}#combo=merchant%3Dzeta&dimension=browser&metric=impression")
    expect(page.get_by_test_id("crumbs")).to_have_text("merchant: demo")  # back to its own root
    expect(page.get_by_test_id("breakdown").locator("tbody tr td").nth(1)).to_have_text(DEMO_ONLY)
    assert page.evaluate("window.__cspViolations") == []
    assert errors == []


def test_an_analyst_sees_both_merchants(page: Page, dashboard_url: str) -> None:
    sign_in(page, dashboard_url, "ana")
    expect(page.get_by_test_id("kpi-events")).to_have_text(str(sum(TRAFFIC.values())))
    expect(page.get_by_test_id("anomalies").locator("tbody tr")).to_have_count(2)
    merchants = page.get_by_test_id("breakdown").locator("tbody tr")
    expect(merchants).to_have_count(2)
    expect(merchants.first).to_contain_text("zeta")
    page.get_by_test_id("dimension").select_option("browser")  # all traffic by browser: filled
    expect(page.get_by_test_id("breakdown").locator("tbody tr")).to_have_count(1)
    expect(page.get_by_test_id("breakdown").locator("tbody tr")).to_contain_text("Firefox")

    page.get_by_test_id("nav-results").click()
    expect(page).to_have_url(f"{dashboard_url}/merchants")
    page.get_by_test_id("merchant-picker").select_option("zeta")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(f"{dashboard_url}/merchants/zeta")
    expect(page.get_by_test_id("merchant-anomalies").locator("tbody tr")).to_contain_text("merchant zeta")
    expect(page.get_by_test_id("merchant-picker")).to_have_value("zeta")
    assert page.evaluate("window.__cspViolations") == []
