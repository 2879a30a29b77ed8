"""Whose data each dashboard user reads: a merchant admin its own merchant only, whatever URL
or parameter it tampers with; admins and analysts every merchant (real Redis, test client)."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from typing import Any

import pyotp
import pytest

from bff.monitoring.alerts.store import AlertStore
from bff.monitoring.detection.grouping import Candidate
from bff.monitoring.detection.hysteresis import AlertState
from bff.monitoring.rollups.aggregation import MINUTE_MS, CountedEvent, increments
from bff.monitoring.rollups.store import RollupStore
from tests.monitoring.test_dashboard import PASSWORD, csrf_of

OTHER = "zeta"


def sign_in(app, role: str, merchant: str | None = None):  # type: ignore[no-untyped-def]
    """A test client signed in to the dashboard as a new user of ``role``."""
    client = app.test_client()
    username = f"{role.replace('_', '-')}-{merchant or 'all'}"
    user = app.extensions["onsite.users"].create(username, role, PASSWORD, dt.datetime.now(dt.UTC), merchant)
    form = {
        "username": username,
        "password": PASSWORD,
        "code": pyotp.TOTP(user.totp_secret).now(),
        "csrf_token": csrf_of(client.get("/monitoring/login").data),
    }
    assert client.post("/monitoring/login", data=form).status_code == 302
    return client


def minute_of(merchant: str, minute: int, impressions: int, sessions: int, orders: int) -> Counter:  # type: ignore[type-arg]
    values = {
        "merchant": merchant,
        "country": "SE",
        "browser": "Firefox",
        "device": "desktop",
        "channel": "direct",
    }
    at = minute * MINUTE_MS
    events = [CountedEvent("", at, values, ("impression",))] * impressions
    events += [CountedEvent("", at, values, ("session",))] * sessions
    events += [CountedEvent("", at, values, ("order_created",))] * orders
    return increments(events)


def raise_alert(redis_client, root: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    now = int(time.time() * 1000)
    state = AlertState(root, "open", 2, 0, now)
    return AlertStore(redis_client).raise_alert(Candidate(root), state, now, minute_ms=now, elapsed=1.0)


@pytest.fixture
def two_merchants(app, redis_client) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """``demo`` and ``zeta``: a minute of traffic each (different sizes) and an alert each."""
    doc = {"client_id": OTHER, "name": "Zeta", "allowed_origins": [], "currencies": {"en-GB": "GBP"},
           "placements": {"credit-badge": "badge"}}  # fmt: skip
    app.extensions["onsite.merchants"].save_merchant(doc)
    minute = int(time.time() * 1000) // MINUTE_MS - 1
    RollupStore(redis_client).add_counts(
        minute_of("demo", minute, 30, 10, 2) + minute_of(OTHER, minute, 70, 20, 9)
    )
    return {
        "demo": raise_alert(redis_client, "merchant=demo|browser=Firefox"),
        OTHER: raise_alert(redis_client, f"merchant={OTHER}"),
        "global": raise_alert(redis_client, "country=SE"),
    }


@pytest.fixture
def merchant_admin(app, two_merchants):  # type: ignore[no-untyped-def]
    """A client signed in as the merchant admin of ``demo``."""
    return sign_in(app, "merchant_admin", "demo")


def test_a_merchant_admin_signs_in_and_lands_on_its_merchant(merchant_admin) -> None:  # type: ignore[no-untyped-def]
    page = merchant_admin.get("/monitoring")
    assert page.status_code == 200
    assert b'data-root="merchant=demo"' in page.data and b'data-can-acknowledge="false"' in page.data
    assert b'<option value="merchant">' not in page.data  # no breakdown by merchant
    results = merchant_admin.get("/monitoring/merchants")
    assert results.status_code == 302 and results.location.endswith("/monitoring/merchants/demo")
    tampered = merchant_admin.get(f"/monitoring/merchants?client_id={OTHER}")
    assert tampered.location.endswith("/monitoring/merchants/demo")


def test_the_overview_and_the_alerts_are_its_own(merchant_admin, two_merchants) -> None:  # type: ignore[no-untyped-def]
    overview = merchant_admin.get("/monitoring/api/overview").get_json()
    assert overview["root"] == "merchant=demo" and overview["merchants"] == []
    assert overview["events_per_minute"][-2] == 30 + 10 + 2
    assert overview["open_anomalies"] == 1
    alerts = merchant_admin.get("/monitoring/api/alerts").get_json()["alerts"]
    assert [a["id"] for a in alerts] == [two_merchants["demo"]["id"]]


@pytest.mark.parametrize(
    "url",
    [
        f"/monitoring/api/series?combo=merchant%3D{OTHER}&metric=impression",
        f"/monitoring/api/series?combo=merchant%3D{OTHER}%7Cbrowser%3DFirefox&metric=conversion",
        "/monitoring/api/series?combo=*&metric=impression",
        "/monitoring/api/series?combo=country%3DSE&metric=impression",
        f"/monitoring/api/breakdown?combo=merchant%3D{OTHER}&dimension=browser",
        "/monitoring/api/breakdown?combo=*&dimension=merchant",
        "/monitoring/api/breakdown?combo=*&dimension=browser",
        f"/monitoring/merchants/{OTHER}",
        f"/monitoring/merchants/{OTHER}?days=30",
        f"/monitoring/merchants/{OTHER}/funnel.csv",
        f"/monitoring/merchants/{OTHER}/breakdown.csv?dimension=browser",
        f"/monitoring/merchants/demo/breakdown.csv?dimension=browser&combo=merchant%3D{OTHER}",
        "/monitoring/merchants/nobody",
        "/monitoring/merchants/DEMO",
    ],
)
def test_anything_naming_another_merchant_is_404(merchant_admin, url: str) -> None:  # type: ignore[no-untyped-def]
    response = merchant_admin.get(url)
    assert response.status_code == 404, url
    assert OTHER.encode() not in response.data.replace(url.encode(), b"")


@pytest.mark.parametrize(
    "combo",
    [
        f"merchant%3Ddemo%7Cmerchant%3D{OTHER}",  # a second merchant= after its own
        f"country%3DSE%7Cmerchant%3D{OTHER}",  # not in the rollups' order
        "merchant%3Ddemo%7Cbrowser%3DFirefox%23session",  # a field name, not a combo
        "merchant%3Ddemo%7C",
    ],
)
def test_tampered_combos_are_400_never_data(merchant_admin, combo: str) -> None:  # type: ignore[no-untyped-def]
    for url in (
        f"/monitoring/api/series?combo={combo}&metric=impression",
        f"/monitoring/api/breakdown?combo={combo}&dimension=device",
    ):
        response = merchant_admin.get(url)
        assert response.status_code == 400 and "error" in response.get_json(), url


def test_the_chart_of_another_merchants_alert_is_404_when_signed_in(  # type: ignore[no-untyped-def]
    app, merchant_admin, two_merchants
) -> None:
    theirs, own = two_merchants[OTHER]["id"], two_merchants["demo"]["id"]
    assert merchant_admin.get(f"/monitoring/charts/{theirs}.png").status_code == 404
    assert merchant_admin.get(f"/monitoring/charts/{two_merchants['global']['id']}.png").status_code == 404
    mine = merchant_admin.get(f"/monitoring/charts/{own}.png")
    assert mine.status_code == 200 and mine.mimetype == "image/png"
    slack = app.test_client()  # Slack fetches with the capability URL alone
    assert slack.get(f"/monitoring/charts/{theirs}.png").status_code == 200


def test_a_merchant_admin_cannot_acknowledge(merchant_admin, two_merchants) -> None:  # type: ignore[no-untyped-def]
    token = csrf_of(merchant_admin.get("/monitoring").data)
    for alert in (two_merchants["demo"], two_merchants[OTHER]):
        ack = merchant_admin.post(
            f"/monitoring/api/alerts/{alert['id']}/ack", headers={"X-CSRF-Token": token}
        )
        assert ack.status_code == 403


@pytest.mark.parametrize("role", ["admin", "analyst"])
def test_admins_and_analysts_see_every_merchant(app, two_merchants, role: str) -> None:  # type: ignore[no-untyped-def]
    client = sign_in(app, role)
    page = client.get("/monitoring")
    assert b'data-root="*"' in page.data and b'<option value="merchant">' in page.data
    overview = client.get("/monitoring/api/overview").get_json()
    assert {row["value"] for row in overview["merchants"]} == {"demo", OTHER}
    alerts = client.get("/monitoring/api/alerts").get_json()["alerts"]
    assert {a["id"] for a in alerts} == {a["id"] for a in two_merchants.values()}
    for merchant in ("demo", OTHER):
        assert client.get(f"/monitoring/merchants/{merchant}").status_code == 200
        series = client.get(f"/monitoring/api/series?combo=merchant%3D{merchant}&metric=impression")
        assert series.status_code == 200
    picker = client.get("/monitoring/merchants")
    assert picker.status_code == 200 and b'data-testid="merchant-picker"' in picker.data
    chosen = client.get(f"/monitoring/merchants?client_id={OTHER}")
    assert chosen.status_code == 302 and chosen.location.endswith(f"/monitoring/merchants/{OTHER}")
    assert client.get("/monitoring/merchants?client_id=nobody").status_code == 404


def test_an_auditor_has_no_merchant_pages(app, two_merchants) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    user = app.extensions["onsite.users"].create("aud", "auditor", PASSWORD, dt.datetime.now(dt.UTC))
    form = {
        "username": "aud",
        "password": PASSWORD,
        "code": pyotp.TOTP(user.totp_secret).now(),
        "csrf_token": csrf_of(client.get("/monitoring/login").data),
    }
    assert client.post("/monitoring/login", data=form).status_code == 403
    assert client.get("/monitoring/merchants/demo").status_code == 302  # to the login
