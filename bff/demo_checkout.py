"""The demo shop's checkout and order confirmation page, reporting the order both ways.

* ``POST /demo/checkout`` (the basket page's form) places the basket's order. Fields:
  ``market`` (a locale the shop sells in), ``payment_method`` (``PAYMENT_METHODS``) and
  ``visit_id`` (the loader's visit id, which the basket page's script fills in from
  ``Onsite.push(['getVisit', cb])``; empty without JavaScript: the order is then not
  attributed). Nothing else is read: the amount is the basket's total for the market,
  computed here, never taken from the browser. A bad field is a 400 basket page that
  names it (``checkout_problem``).
* The order gets an id (``NH-`` and 10 hex digits) and the merchant's server reports it at
  once, as a real shop's would: ``order_created`` with the visit id, signed with the demo
  merchant's API key (``bff.demo_merchant_server``). A failed report does not fail the
  order: the confirmation page says so.
* The browser is redirected (303) to ``GET /demo/order?receipt=...``: the confirmation
  page. The receipt is the order signed with a key derived from the server secret and
  valid for a day, so nothing is stored and a forged or stale receipt is a 400.
* The confirmation page reports the same order from the browser
  (``Onsite.push(['order', ...])``, ``static/demo/confirmation.js``: source ``client``).
  The order id makes the two reports one order; which one counts is the merchant's
  ``order_source`` (the demo merchant's is ``server``, the default), docs/attribution.md.
"""

from __future__ import annotations

import secrets
import time
import uuid
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

import structlog
from flask import current_app, redirect, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from bff.demo_merchant_server import MerchantServer, demo_api_key
from bff.demo_shop import MARKETS, PAYMENT_METHODS, basket_total, bp, market_of, page, render_cart
from bff.monitoring.ingest.event_schema import SESSION_ID
from bff.personalization.money import format_money
from bff.server_key import ServerKey
from bff.settings import Settings

log = structlog.get_logger(__name__)

RECEIPT_MAX_AGE_S = 24 * 3600
MERCHANT_SERVER = "onsite.demo_merchant_server"


@dataclass(frozen=True)
class Checkout:
    """A checkout form that passed ``checkout_problem``."""

    locale: str
    payment_method: str
    visit_id: str | None


@dataclass(frozen=True)
class Receipt:
    """A placed order, as the confirmation page needs it (and as its signed URL carries it)."""

    order_id: str
    amount: int
    currency: str
    locale: str
    payment_method: str
    reported: bool  # whether the merchant's server report was accepted


def checkout_problem(form: Mapping[str, str]) -> Checkout | str:
    """The checkout of ``form``, or why it is refused (a sentence naming the field)."""
    locale = form.get("market", "")
    if market_of(locale) is None:
        return "market must be one of the shop's markets (for example en-US)."
    method = form.get("payment_method", "")
    if method not in PAYMENT_METHODS:
        return f"payment_method must be one of {', '.join(PAYMENT_METHODS)}."
    visit = form.get("visit_id", "").strip()
    if visit and not SESSION_ID.match(visit):
        return "visit_id must be the visit id of Onsite getVisit (1-64 letters, digits, '_', '.', ':', '-')."
    return Checkout(locale, method, visit or None)


def order_event(
    receipt: Receipt, visit_id: str | None, user_agent: str | None, now_ms: int
) -> dict[str, Any]:
    """The ``order_created`` event the merchant's server sends for ``receipt``."""
    event: dict[str, Any] = {
        "id": uuid.uuid4().hex,
        "type": "order_created",
        "ts": now_ms,
        "order_id": receipt.order_id,
        "amount": receipt.amount,
        "currency": receipt.currency,
        "payment_method": receipt.payment_method,
        "country": receipt.locale.rsplit("-", 1)[-1],
    }
    if visit_id is not None:
        event["visit_id"] = visit_id
    if user_agent:
        event["user_agent"] = user_agent[:512]
    return event


@bp.post("/demo/checkout")
def checkout() -> Any:
    """Place the basket's order, report it from the merchant's server, go to its confirmation."""
    found = checkout_problem(request.form)
    if isinstance(found, str):
        return render_cart(market_of(request.form.get("market", "")) or _first_market(), found, 400)
    market = market_of(found.locale) or _first_market()
    receipt = Receipt(
        order_id=f"NH-{secrets.token_hex(5).upper()}",
        amount=basket_total(market["currency"]),
        currency=market["currency"],
        locale=found.locale,
        payment_method=found.payment_method,
        reported=False,
    )
    event = order_event(receipt, found.visit_id, request.headers.get("User-Agent"), int(time.time() * 1000))
    outcome = merchant_server().track([event])
    if not outcome.ok:
        # No reasons: a rejection quotes the event, and the visit id is the shopper's.
        log.warning("demo.order_report_failed", error=outcome.error, rejected=len(outcome.rejected))
    receipt = Receipt(**{**asdict(receipt), "reported": outcome.ok})
    return redirect(f"/demo/order?receipt={_serializer().dumps(asdict(receipt))}", code=303)


@bp.get("/demo/order")
def confirmation() -> Any:
    """The order confirmation page of a signed receipt; it reports the order from the browser."""
    try:
        fields = _serializer().loads(request.args.get("receipt", ""), max_age=RECEIPT_MAX_AGE_S)
        receipt = Receipt(**fields)
    except (BadSignature, TypeError):
        return page("demo_order.html", 400, market=_first_market(), receipt=None)
    market = market_of(receipt.locale) or _first_market()
    return page(
        "demo_order.html",
        market=market,
        receipt=receipt,
        amount_formatted=format_money(receipt.amount, receipt.currency, receipt.locale),
        payment_label=PAYMENT_METHODS.get(receipt.payment_method, receipt.payment_method),
    )


def merchant_server() -> MerchantServer:
    """The demo merchant's server (made once per app; a test may put its own in the
    app's extensions under ``MERCHANT_SERVER``)."""
    extensions = current_app.extensions
    if MERCHANT_SERVER not in extensions:
        settings: Settings = extensions["onsite.settings"]
        extensions[MERCHANT_SERVER] = MerchantServer(settings.public_origin, demo_api_key(current_app))
    server: MerchantServer = extensions[MERCHANT_SERVER]
    return server


def _serializer() -> URLSafeTimedSerializer:
    key: ServerKey = current_app.extensions["onsite.server_key"]
    return URLSafeTimedSerializer(key.derive("demo-receipt"), salt="demo-order")


def _first_market() -> dict[str, str]:
    return MARKETS[0]
