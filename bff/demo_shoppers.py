"""Simulated shoppers of the demo shop (pure: no I/O, no clock; randomness is passed in).

``draw_shopper(rng)`` picks who arrives: a market (half of them in the US, where the demo's
A/B campaign runs), a browser and device (a real User-Agent string), and a channel.
``plan_visit(shopper, render, rng, now_ms, ...)`` says what that shopper does once the
render (the real ``placements.render`` result) is known, as the events our frames, the
merchant's server and the confirmation page would send. ``stratified_shoppers(rng, k)`` is
a sample with the mixes' shares exactly (``k`` shoppers of every market x browser x
channel, each weighted by its share), for estimating the expected rates from few visits:

* server: a ``session`` event (with the shopper's User-Agent, country and channel);
* frames: ``view``, then a viewable ``impression`` (85%), a ``click`` (12% of impressions)
  and an ``interstitial_open`` (70% of clicks), each naming the campaign and variant;
* an order: 3% of visits, plus 25% of those who clicked, and half as much again in the
  variant ``lead-pay-later`` (so the experiment has a winner to find); reported by the
  merchant's server with the visit id, and by the confirmation page (half of the time);
* the anomaly: with ``impressions_lost`` set, Firefox shoppers' impressions never arrive
  (a theme update hides the badge in Firefox), so neither do their clicks or opens.
"""

from __future__ import annotations

import itertools
import random
import uuid
from dataclasses import dataclass, field
from typing import Any

PLACEMENT = "credit-badge"
# (locale, currency, product price in minor units, share of shoppers)
MARKET_MIX = (
    ("en-US", "USD", 12900, 0.5),
    ("en-GB", "GBP", 9900, 0.25),
    ("de-DE", "EUR", 11900, 0.15),
    ("sv-SE", "SEK", 129900, 0.10),
)
# (User-Agent, share): desktop Chrome, iPhone Safari, desktop Firefox, desktop Edge
BROWSER_MIX = (
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Safari/537.36",
        0.40,
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/18.1 Mobile/15E148 Safari/604.1",
        0.25,
    ),
    ("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", 0.25),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
        0.10,
    ),
)
# (referrer, utm_medium, share)
CHANNEL_MIX = (
    (None, None, 0.45),
    ("https://www.google.com/", None, 0.35),
    (None, "email", 0.20),
)
IMPRESSION_RATE = 0.85
CLICK_RATE = 0.12
OPEN_RATE = 0.70
ORDER_RATE = 0.03
ORDER_RATE_AFTER_CLICK = 0.25
WINNER = "lead-pay-later"
WINNER_FACTOR = 1.5
CLIENT_REPORT_RATE = 0.5
CLIENT_ID = "demo"


@dataclass(frozen=True)
class Shopper:
    """One simulated visit: who, where from, and the product's price in the market."""

    visit_id: str
    locale: str
    currency: str
    amount: int
    user_agent: str
    referrer: str | None
    utm_medium: str | None

    @property
    def country(self) -> str:
        return self.locale.rsplit("-", 1)[-1]

    @property
    def is_firefox(self) -> bool:
        return "Firefox/" in self.user_agent


@dataclass
class Visit:
    """What one shopper's visit sends: to the merchant's server's calls (``server``), from the
    frames (``frame``, all with the shopper's User-Agent), the server's order report
    (``orders``) and the confirmation page's (``client_orders``)."""

    server: list[dict[str, Any]] = field(default_factory=list)
    frame: list[dict[str, Any]] = field(default_factory=list)
    orders: list[dict[str, Any]] = field(default_factory=list)
    client_orders: list[dict[str, Any]] = field(default_factory=list)


def _pick(rng: random.Random, mix: tuple[tuple[Any, ...], ...]) -> tuple[Any, ...]:
    return rng.choices(mix, weights=[row[-1] for row in mix])[0]


def draw_shopper(rng: random.Random) -> Shopper:
    """A new visit (see the module docstring for the mixes)."""
    locale, currency, amount, _ = _pick(rng, MARKET_MIX)
    user_agent, _ = _pick(rng, BROWSER_MIX)
    referrer, medium, _ = _pick(rng, CHANNEL_MIX)
    return Shopper(f"{rng.getrandbits(128):032x}", locale, currency, amount, user_agent, referrer, medium)


def stratified_shoppers(rng: random.Random, per_stratum: int) -> list[tuple[Shopper, float]]:
    """``per_stratum`` shoppers of every market x browser x channel (48 strata), each with its
    weight: the stratum's share of the mixes over ``per_stratum`` (the weights sum to 1).

    A sample of 48 has every browser's share exact, where 200 random draws are off by
    about 12% for a quarter share; only the visit ids (so the A/B variants) are drawn.
    """
    sample = []
    for market, browser, channel in itertools.product(MARKET_MIX, BROWSER_MIX, CHANNEL_MIX):
        (locale, currency, amount, market_share), (user_agent, browser_share) = market, browser
        referrer, medium, channel_share = channel
        weight = market_share * browser_share * channel_share / per_stratum
        for _ in range(per_stratum):
            visit_id = f"{rng.getrandbits(128):032x}"
            sample.append((Shopper(visit_id, locale, currency, amount, user_agent, referrer, medium), weight))
    return sample


def plan_visit(
    shopper: Shopper,
    render: dict[str, Any],
    rng: random.Random,
    now_ms: int,
    shop_origin: str,
    impressions_lost: bool = False,
) -> Visit:
    """The events of ``shopper``'s visit given its ``render`` result (see the module docstring);
    ``impressions_lost``: the anomaly is on (it hits Firefox shoppers only)."""
    visit = Visit(server=[_event("session", now_ms, session_id=shopper.visit_id, **_origin_facts(shopper))])
    frame = _frame_fields(shopper, render, shop_origin)
    if frame is None:
        return visit
    visit.frame.append(_event("view", now_ms, **frame))
    seen = rng.random() < IMPRESSION_RATE and not (impressions_lost and shopper.is_firefox)
    clicked = seen and rng.random() < CLICK_RATE
    if seen:
        visit.frame.append(_event("impression", now_ms, **frame))
    if clicked:
        visit.frame.append(_event("click", now_ms, **frame))
        if rng.random() < OPEN_RATE:
            visit.frame.append(_event("interstitial_open", now_ms, **frame))
    rate = ORDER_RATE + (ORDER_RATE_AFTER_CLICK if clicked else 0.0)
    if rng.random() < rate * (WINNER_FACTOR if frame["variant"] == WINNER else 1.0):
        order_id = f"SIM-{uuid.UUID(int=rng.getrandbits(128)).hex[:16].upper()}"
        visit.orders.append(_event("order_created", now_ms, **_order(shopper, order_id)))
        if rng.random() < CLIENT_REPORT_RATE:
            page = {"client_id": CLIENT_ID, "source": "client", "page_url": f"{shop_origin}/demo/order"}
            visit.client_orders.append(
                _event("order_created", now_ms, **_order(shopper, order_id, with_facts=False), **page)
            )
    return visit


def expected_events(
    shopper: Shopper, render: dict[str, Any], now_ms: int, shop_origin: str
) -> list[tuple[dict[str, Any], bool, float]]:
    """Every event ``plan_visit`` may send for this shopper and render that the rollups count
    (the server's session and order, the frames' events; not the confirmation page's order
    report, which the demo merchant does not count), each with whether a frame sends it and
    its probability: the visit's expected events, without the draws (no anomaly)."""
    events = [(_event("session", now_ms, session_id=shopper.visit_id, **_origin_facts(shopper)), False, 1.0)]
    frame = _frame_fields(shopper, render, shop_origin)
    if frame is None:
        return events
    clicked = IMPRESSION_RATE * CLICK_RATE
    ordered = (ORDER_RATE + clicked * ORDER_RATE_AFTER_CLICK) * (
        WINNER_FACTOR if frame["variant"] == WINNER else 1.0
    )
    order = _order(shopper, f"SIM-{shopper.visit_id[:16].upper()}")
    return [
        *events,
        (_event("view", now_ms, **frame), True, 1.0),
        (_event("impression", now_ms, **frame), True, IMPRESSION_RATE),
        (_event("click", now_ms, **frame), True, clicked),
        (_event("interstitial_open", now_ms, **frame), True, clicked * OPEN_RATE),
        (_event("order_created", now_ms, **order), False, ordered),
    ]


def _frame_fields(shopper: Shopper, render: dict[str, Any], shop_origin: str) -> dict[str, Any] | None:
    """What the frames' events of the visit carry; None when the render shows no campaign."""
    campaign, variant = render.get("campaign_id"), render.get("variant")
    if render.get("kind") in (None, "empty") or not campaign or not variant:
        return None
    return {
        "client_id": CLIENT_ID,
        "placement_key": PLACEMENT,
        "session_id": shopper.visit_id,
        "page_url": f"{shop_origin}/demo",
        "campaign_id": campaign,
        "variant": variant,
        "locale": shopper.locale,
        "amount": shopper.amount,
        "currency": shopper.currency,
    } | _channel(shopper)


def _order(shopper: Shopper, order_id: str, with_facts: bool = True) -> dict[str, Any]:
    order = {
        "order_id": order_id,
        "visit_id": shopper.visit_id,
        "amount": shopper.amount,
        "currency": shopper.currency,
        "payment_method": "pay_in_4",
    }
    return order | _origin_facts(shopper) if with_facts else order


def _event(kind: str, now_ms: int, **fields: Any) -> dict[str, Any]:
    return {"id": uuid.uuid4().hex, "type": kind, "ts": now_ms, **fields}


def _channel(shopper: Shopper) -> dict[str, str]:
    if shopper.utm_medium:
        return {"utm_source": "newsletter", "utm_medium": shopper.utm_medium}
    return {"referrer": shopper.referrer} if shopper.referrer else {}


def _origin_facts(shopper: Shopper) -> dict[str, Any]:
    """What the merchant's server knows of the visit: country, the shopper's agent, channel."""
    return {"country": shopper.country, "user_agent": shopper.user_agent} | _channel(shopper)
