"""The dashboard behind its login: pages, CSP, JSON API and acknowledge (real Redis)."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections import Counter

import pyotp
import pytest

from bff import create_app
from bff.monitoring.rollups.aggregation import MINUTE_MS, CountedEvent, increments
from bff.monitoring.rollups.store import RollupStore

PASSWORD = "correct horse battery"


def make_user(app, username: str = "ops", role: str = "admin") -> str:  # type: ignore[no-untyped-def]
    """Create a dashboard user; returns its TOTP secret."""
    user = app.extensions["onsite.users"].create(username, role, PASSWORD, dt.datetime.now(dt.UTC))
    return str(user.totp_secret)


@pytest.fixture
def dashboard(settings):  # type: ignore[no-untyped-def]
    """A test client of an app with an admin user ``ops``."""
    app = create_app(settings)
    client = app.test_client()
    client.totp = make_user(app)  # type: ignore[attr-defined]
    return client


def csrf_of(html: bytes) -> str:
    match = re.search(rb'name="csrf[-_]token" (?:value|content)="([^"]+)"', html)
    assert match is not None
    return match.group(1).decode()


def log_in(client, password: str = PASSWORD, username: str = "ops", secret: str | None = None):  # type: ignore[no-untyped-def]
    token = csrf_of(client.get("/monitoring/login").data)
    code = pyotp.TOTP(secret or client.totp).now()
    form = {"username": username, "password": password, "code": code, "csrf_token": token}
    return client.post("/monitoring/login", data=form)


def seed(redis_client) -> None:  # type: ignore[no-untyped-def]
    minute = int(time.time() * 1000) // MINUTE_MS
    counts: Counter = Counter()  # type: ignore[type-arg]
    for m in (minute - 1, minute - 1441):
        for browser, n in (("Chrome", 30), ("Firefox", 10)):
            values = {
                "merchant": "acme",
                "country": "SE",
                "browser": browser,
                "device": "desktop",
                "channel": "direct",
            }
            counts += increments([CountedEvent("", m * MINUTE_MS, values, ("session",))] * n)
            counts += increments([CountedEvent("", m * MINUTE_MS, values, ("order_created",))] * (n // 10))
    RollupStore(redis_client).add_counts(counts)


def test_pages_and_api_need_a_login(dashboard) -> None:  # type: ignore[no-untyped-def]
    assert dashboard.get("/monitoring").status_code == 302
    response = dashboard.get("/monitoring/api/overview")
    assert response.status_code == 401 and response.get_json() == {"error": "login required"}


def test_a_wrong_password_or_a_missing_token_is_refused(dashboard) -> None:  # type: ignore[no-untyped-def]
    assert log_in(dashboard, "wrong password!").status_code == 401
    assert dashboard.post("/monitoring/login", data={"password": PASSWORD}).status_code == 401
    assert dashboard.get("/monitoring").status_code == 302


def test_a_wrong_or_replayed_code_is_refused(dashboard) -> None:  # type: ignore[no-untyped-def]
    token = csrf_of(dashboard.get("/monitoring/login").data)
    form = {"username": "ops", "password": PASSWORD, "code": "000000", "csrf_token": token}
    assert dashboard.post("/monitoring/login", data=form).status_code == 401
    assert log_in(dashboard).status_code == 302
    dashboard.post("/monitoring/logout", data={"csrf_token": csrf_of(dashboard.get("/monitoring").data)})
    code = pyotp.TOTP(dashboard.totp).now()
    token = csrf_of(dashboard.get("/monitoring/login").data)
    replay = {"username": "ops", "password": PASSWORD, "code": code, "csrf_token": token}
    assert dashboard.post("/monitoring/login", data=replay).status_code == 401


def test_roles(settings) -> None:  # type: ignore[no-untyped-def]
    app = create_app(settings)
    analyst, auditor = app.test_client(), app.test_client()
    assert log_in(analyst, username="ana", secret=make_user(app, "ana", "analyst")).status_code == 302
    assert analyst.get("/monitoring/api/overview").status_code == 200
    token = csrf_of(analyst.get("/monitoring").data)
    ack = analyst.post("/monitoring/api/alerts/" + "a" * 32 + "/ack", headers={"X-CSRF-Token": token})
    assert ack.status_code == 403
    response = log_in(auditor, username="aud", secret=make_user(app, "aud", "auditor"))
    assert response.status_code == 403 and b"no access to the dashboard" in response.data


def test_logins_are_rate_limited_and_audited(settings) -> None:  # type: ignore[no-untyped-def]
    app = create_app(settings.replace(login_rate="3/minute"))
    client = app.test_client()
    client.totp = make_user(app)  # type: ignore[attr-defined]
    statuses = [log_in(client, "wrong password!").status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]
    actions = [r["action"] for r in app.extensions["onsite.audit"].records()]
    assert actions.count("auth.login_failed") == 3


def test_the_dashboard_page_has_a_strict_csp_and_no_inline_code(dashboard) -> None:  # type: ignore[no-untyped-def]
    assert log_in(dashboard).status_code == 302
    page = dashboard.get("/monitoring")
    assert page.status_code == 200
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert page.headers["Cache-Control"] == "no-store"
    assert b"<script>" not in page.data and b"style=" not in page.data
    assert re.search(rb'<script src="/static/dashboard-[0-9a-f]{12}\.js" defer>', page.data)


def test_overview_series_and_breakdown(dashboard, redis_client) -> None:  # type: ignore[no-untyped-def]
    seed(redis_client)
    log_in(dashboard)
    overview = dashboard.get("/monitoring/api/overview").get_json()
    assert len(overview["events_per_minute"]) == 60 and overview["events_per_minute"][-2] == 44
    assert overview["conversion_rate"] == pytest.approx(4 / 40)
    assert overview["merchants"][0]["value"] == "acme"
    series = dashboard.get("/monitoring/api/series?combo=merchant%3Dacme&metric=conversion").get_json()
    assert series["today"][-2] == pytest.approx(0.1) and series["yesterday"][-2] == pytest.approx(0.1)
    assert len(series["today"]) == len(series["yesterday"]) == len(series["minutes"])
    rows = dashboard.get("/monitoring/api/breakdown?combo=merchant%3Dacme&dimension=browser").get_json()[
        "rows"
    ]
    assert [(r["value"], r["counts"]["session"]) for r in rows] == [("Chrome", 30), ("Firefox", 10)]


@pytest.mark.parametrize(
    "url",
    [
        "/monitoring/api/series?combo=nonsense&metric=session",
        "/monitoring/api/series?combo=*&metric=bogus",
        "/monitoring/api/breakdown?combo=merchant%3Dacme&dimension=merchant",
        "/monitoring/api/breakdown?combo=*&dimension=shoe_size",
    ],
)
def test_bad_api_params_are_400_json(dashboard, url) -> None:  # type: ignore[no-untyped-def]
    log_in(dashboard)
    response = dashboard.get(url)
    assert response.status_code == 400 and "error" in response.get_json()


def test_acknowledge_needs_the_pages_csrf_token(dashboard, redis_client) -> None:  # type: ignore[no-untyped-def]
    from bff.monitoring.detection.detector import Detector
    from tests.monitoring.test_alerts import seed_baseline, traffic

    minute = int(time.time() * 1000) // MINUTE_MS - 3
    store = RollupStore(redis_client)
    seed_baseline(store, minute)
    store.add_counts(traffic(minute, "acme", 400) + traffic(minute, "other", 10))
    detector = Detector(redis_client)
    for offset in (2, 1):
        detector._sweep_minute(minute, 1.0, (minute + 1) * MINUTE_MS - offset)
    log_in(dashboard)
    token = csrf_of(dashboard.get("/monitoring").data)
    (alert,) = dashboard.get("/monitoring/api/alerts").get_json()["alerts"]
    assert dashboard.post(f"/monitoring/api/alerts/{alert['id']}/ack").status_code == 403
    acked = dashboard.post(f"/monitoring/api/alerts/{alert['id']}/ack", headers={"X-CSRF-Token": token})
    assert acked.status_code == 200 and acked.get_json()["alert"]["acknowledged"]["by"] == "ops"
    assert (
        dashboard.post(
            "/monitoring/api/alerts/" + "0" * 32 + "/ack", headers={"X-CSRF-Token": token}
        ).status_code
        == 404
    )


def test_an_unknown_chart_is_404(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/monitoring/charts/" + "a" * 32 + ".png").status_code == 404
    assert client.get("/monitoring/charts/..%2Fetc.png").status_code == 404
