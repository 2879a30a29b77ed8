"""Enrichment (pure): user agent, channel, country, the message shown and the visit join."""

from __future__ import annotations

import pytest

from bff.monitoring.ingest.enrichment import (
    browser_and_device,
    classify_channel,
    country_of,
    enrich,
    own_values,
    visit_record,
)

CHROME_WIN = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36"
)
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.0 Mobile/15E148 Safari/604.1"
)
IPAD = (
    "Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.0 Mobile/15E148 Safari/604.1"
)
FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


@pytest.mark.parametrize(
    ("agent", "expected"),
    [
        (CHROME_WIN, ("Chrome", "desktop")),
        (IPHONE, ("Mobile Safari", "mobile")),
        (IPAD, ("Mobile Safari", "tablet")),
        (FIREFOX_LINUX, ("Firefox", "desktop")),
        (GOOGLEBOT, ("Googlebot", "bot")),
        ("curl/8.0", ("curl", "other")),
    ],
)
def test_browser_and_device(agent: str, expected: tuple[str, str]) -> None:
    assert browser_and_device(agent) == expected


@pytest.mark.parametrize(
    ("utm_source", "utm_medium", "referrer", "page", "channel"),
    [
        ("google", "cpc", "www.google.com", "shop.example", "paid"),
        ("newsletter", "email", None, "shop.example", "email"),
        ("instagram", "story", None, "shop.example", "social"),
        ("partner-x", "affiliate", None, "shop.example", "affiliate"),
        ("spring", "banner", None, "shop.example", "campaign"),
        (None, None, "www.google.co.uk", "shop.example", "search"),
        (None, None, "l.facebook.com", "shop.example", "social"),
        (None, None, "blog.example", "shop.example", "referral"),
        (None, None, "shop.example", "shop.example", "direct"),
        (None, None, None, "shop.example", "direct"),
        (None, None, "notgoogle.example", "shop.example", "referral"),
    ],
)
def test_channel(utm_source, utm_medium, referrer, page, channel) -> None:  # type: ignore[no-untyped-def]
    assert classify_channel(utm_source, utm_medium, referrer, page) == channel


@pytest.mark.parametrize(
    ("country", "locale", "accept_language", "expected"),
    [
        ("SE", "de-DE", "en-GB", "SE"),
        (None, "de-AT", "en-GB", "AT"),
        (None, "de", "fr-CH;q=0.5, en-GB;q=0.9", "GB"),
        (None, None, "en;q=0.9, *;q=0.1", "ZZ"),
        (None, "zh-Hant-TW", None, "TW"),
        (None, None, None, "ZZ"),
        (None, "es-419", None, "ZZ"),
    ],
)
def test_country(country, locale, accept_language, expected) -> None:  # type: ignore[no-untyped-def]
    assert country_of(country, locale, accept_language) == expected


def test_frame_events_use_the_request_agent_and_language() -> None:
    wire = {
        "client_id": "acme",
        "type": "impression",
        "referrer_host": "www.bing.com",
        "page_url_host": "acme.example",
    }
    values = enrich(wire, from_frame=True, request_user_agent=IPHONE, accept_language="sv-SE")
    assert values == {
        "merchant": "acme",
        "browser": "Mobile Safari",
        "device": "mobile",
        "channel": "search",
        "country": "SE",
    }


def test_server_events_never_take_the_servers_own_agent_or_language() -> None:
    wire = {"client_id": "acme", "type": "authorization", "payment_method": "pay_in_4"}
    values = enrich(
        wire, from_frame=False, request_user_agent="python-requests/2.32", accept_language="en-US"
    )
    assert values == {"merchant": "acme", "channel": "direct", "country": "ZZ", "payment_method": "pay_in_4"}
    with_agent = enrich(
        wire | {"user_agent": FIREFOX_LINUX}, from_frame=False, request_user_agent=None, accept_language=None
    )
    assert (with_agent["browser"], with_agent["device"]) == ("Firefox", "desktop")


def test_the_message_shown_is_a_dimension_cut_to_a_safe_value() -> None:
    wire = {"type": "impression", "client_id": "m", "campaign_id": "spring-" + "x" * 50, "variant": "B"}
    values = enrich(wire, from_frame=True, request_user_agent=None, accept_language=None)
    assert values["campaign"] == ("spring-" + "x" * 50)[:40] and values["variant"] == "B"
    without_variant = enrich(
        {"type": "impression", "client_id": "m", "campaign_id": "spring"},
        from_frame=True, request_user_agent=None, accept_language=None,
    )  # fmt: skip
    assert "campaign" not in without_variant and "variant" not in without_variant


def test_a_joined_visit_gives_its_four_dimensions_whatever_the_event_says() -> None:
    own = own_values(
        {"type": "impression", "client_id": "m", "locale": "en-GB", "referrer_host": "www.google.com"},
        True, FIREFOX_LINUX, None,
    )  # fmt: skip
    record = visit_record(own)
    assert record == "Firefox|desktop|search|GB"
    order = {"type": "order_created", "client_id": "m", "country": "US", "visit": record}
    values = enrich(order, from_frame=False, request_user_agent="merchant-server/1.0", accept_language=None)
    assert values == {"merchant": "m", "browser": "Firefox", "device": "desktop", "channel": "search",
                      "country": "GB"}  # fmt: skip


@pytest.mark.parametrize(
    "record", ["Firefox|desktop|search", "Fire|fox|desktop|search|GB", "a=b|x|y|z", 7, ""]
)
def test_a_malformed_visit_record_is_ignored(record: object) -> None:
    wire = {"type": "session", "client_id": "m", "country": "SE", "visit": record}
    values = enrich(wire, from_frame=False, request_user_agent=None, accept_language=None)
    assert values == {"merchant": "m", "channel": "direct", "country": "SE"}


def test_an_event_without_a_user_agent_cannot_start_a_visit_record() -> None:
    assert visit_record(own_values({"type": "session", "client_id": "m"}, False, None, None)) is None
