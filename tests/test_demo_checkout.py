"""The demo shop's checkout and confirmation page (Flask test client, real Redis).

The merchant's server report goes through the real ``events.track`` of the same app: its
transport is the test client instead of a socket.
"""

from __future__ import annotations

import datetime as dt
import html as html_text
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask

from bff.attribution.store import AttributionStore
from bff.demo_checkout import MERCHANT_SERVER, checkout_problem
from bff.demo_merchant_server import KEY_FILE, MerchantServer, demo_api_key
from tests.attribution.test_ingest import client_order, frame_event, post, today

DEMO = "http://localhost:5000"
VISIT = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def shop(app: Flask) -> Any:
    """A test client on the demo shop's origin."""
    return app.test_client()


@pytest.fixture
def server_reports(app: Flask) -> list[dict[str, Any]]:
    """The demo merchant's server, posting through the test client; the replies it got."""
    replies: list[dict[str, Any]] = []
    client = app.test_client()

    def transport(url: str, body: dict[str, Any], headers: dict[str, str]) -> tuple[int, Any]:
        response = client.post(urlsplit(url).path, json=body, headers=headers)
        replies.append(response.get_json())
        return response.status_code, response.get_json()

    app.extensions[MERCHANT_SERVER] = MerchantServer("http://127.0.0.1:5000", demo_api_key(app), transport)
    return replies


def place_order(shop: Any, **form: str) -> Any:
    fields = {"market": "en-US", "payment_method": "pay_in_4", "visit_id": VISIT} | form
    return shop.post("/demo/checkout", data=fields, base_url=DEMO)


def receipt_page(shop: Any, response: Any) -> str:
    assert response.status_code == 303, response.data
    page = shop.get(response.headers["Location"], base_url=DEMO)
    assert page.status_code == 200
    return str(page.get_data(as_text=True))


def attributed(redis_client: Any) -> dict[str, tuple[int, dict[str, int]]]:
    rows = AttributionStore(redis_client).attributed_orders("demo", today())
    return {r.model: (r.orders, r.value) for r in rows if r.model in ("all", "last_touch", "unattributed")}


def test_the_basket_page_has_a_checkout_with_the_visit_id_field(shop: Any) -> None:
    page = shop.get("/demo/cart?market=en-US", base_url=DEMO)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'action="/demo/checkout"' in html and 'name="visit_id" id="visit-id"' in html
    assert '<input type="hidden" name="market" value="en-US">' in html
    assert "demo/cart.js" in html  # fills in the visit id from Onsite getVisit
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]


def test_an_order_is_reported_by_the_server_with_the_visit_and_the_baskets_amount(
    shop: Any, server_reports: list[dict[str, Any]], redis_client: Any
) -> None:
    touch = frame_event(type="click", session_id=VISIT, campaign_id="us-lead-test", variant="lead-pay-later")
    post(shop, "/rpc/collect", [touch])

    html = receipt_page(shop, place_order(shop, amount="1"))  # a posted amount is ignored

    order_id = re.search(r'data-order-id="(NH-[0-9A-F]{10})"', html)
    assert order_id is not None
    assert re.search(r'data-amount="15300"\s+data-currency="USD"', html)  # chair $129 + cushion $24
    assert "Our server reported this order" in html
    assert server_reports == [{"jsonrpc": "2.0", "id": 1, "result": {"accepted": 1, "rejected": []}}]
    assert attributed(redis_client) == {"all": (1, {"USD": 15300}), "last_touch": (1, {"USD": 15300})}
    claim = redis_client.get(f"onsite:{{m:demo}}:order-claim:{order_id.group(1)}")
    assert claim is not None


def test_the_confirmation_pages_report_of_the_same_order_counts_nothing(
    shop: Any, server_reports: list[dict[str, Any]], redis_client: Any
) -> None:
    html = receipt_page(shop, place_order(shop, visit_id=""))  # without JavaScript: no visit id
    order_id = re.search(r'data-order-id="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    assert "demo/confirmation.js" in html
    client_report = client_order(order_id=order_id, amount=15300, currency="USD", payment_method="pay_in_4")
    post(shop, "/rpc/collect", [client_report], text_plain=True)
    assert attributed(redis_client) == {"all": (1, {"USD": 15300}), "unattributed": (1, {"USD": 15300})}


@pytest.mark.parametrize(
    ("form", "reason"),
    [
        ({"market": "xx-XX"}, "market must be one of the shop's markets"),
        ({"payment_method": "bitcoin"}, "payment_method must be one of pay_in_4, pay_in_30, card"),
        ({"visit_id": "<script>"}, "visit_id must be the visit id of Onsite getVisit"),
        ({"visit_id": "v" * 65}, "visit_id must be the visit id of Onsite getVisit"),
    ],
)
def test_a_bad_checkout_form_is_a_400_that_names_the_field(
    shop: Any, server_reports: list[dict[str, Any]], form: dict[str, str], reason: str
) -> None:
    response = place_order(shop, **form)
    assert response.status_code == 400
    assert reason in html_text.unescape(response.get_data(as_text=True))
    assert server_reports == []


def test_checkout_problem_reads_only_the_three_fields() -> None:
    found = checkout_problem(
        {"market": "de-DE", "payment_method": "card", "visit_id": " abc ", "amount": "1"}
    )
    assert found == checkout_problem({"market": "de-DE", "payment_method": "card", "visit_id": "abc"})
    assert checkout_problem({"market": "de-DE", "payment_method": "card"}).visit_id is None  # type: ignore[union-attr]


def test_a_failed_server_report_does_not_fail_the_order(app: Flask, shop: Any) -> None:
    def unreachable(url: str, body: dict[str, Any], headers: dict[str, str]) -> tuple[int, Any]:
        raise ConnectionRefusedError

    app.extensions[MERCHANT_SERVER] = MerchantServer("http://127.0.0.1:9", "osk_x", unreachable)
    html = receipt_page(shop, place_order(shop))
    assert "could not report this order" in html and 'data-currency="USD"' in html


@pytest.mark.parametrize(
    "tamper", [lambda r: r[:-2] + ("AA" if not r.endswith("AA") else "BB"), lambda r: "", lambda r: "x.y.z"]
)
def test_a_forged_receipt_is_a_400(
    shop: Any, server_reports: list[dict[str, Any]], tamper: Callable[[str], str]
) -> None:
    location = place_order(shop).headers["Location"]
    receipt = location.split("receipt=", 1)[1]
    page = shop.get(f"/demo/order?receipt={tamper(receipt)}", base_url=DEMO)
    assert page.status_code == 400
    assert "This confirmation link is not valid" in page.get_data(as_text=True)


def test_the_demo_api_key_is_kept_in_var_dir_and_replaced_when_revoked(app: Flask) -> None:
    first = demo_api_key(app)
    assert demo_api_key(app) == first
    path = app.extensions["onsite.settings"].var_dir / KEY_FILE
    assert path.stat().st_mode & 0o777 == 0o600
    key_id = next(k.key_id for k in app.extensions["onsite.api_keys"].list("demo"))
    app.extensions["onsite.api_keys"].revoke(key_id, dt.datetime.now(dt.UTC))
    second = demo_api_key(app)
    assert second != first and path.read_text().strip() == second
