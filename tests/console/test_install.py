"""The install page: snippet, CSP lines, "check my page" (never fetched) and "allow this origin"."""

from __future__ import annotations

import html as html_lib
import re
import socket
from typing import Any

import pytest

from tests.console.conftest import csrf_of, post_form

PAGE = "/console/m/demo/install"


def current(app, client_id: str = "demo") -> dict[str, Any]:  # type: ignore[no-untyped-def]
    found: dict[str, Any] = app.extensions["onsite.merchants"].documents.current(client_id)
    return found


def snippet(html: str, name: str) -> str:
    found = re.search(rf'data-testid="snippet-{name}">(.*?)</pre>', html, re.S)
    assert found is not None, name
    return html_lib.unescape(found.group(1))


def checks(html: str) -> dict[str, bool]:
    return {name: ok == "true" for name, ok in re.findall(r'data-check="(\w+)" data-ok="(true|false)"', html)}


def test_the_snippet_has_the_public_origin_the_client_id_and_each_placement(app, merchant_console) -> None:  # type: ignore[no-untyped-def]
    origin = app.extensions["onsite.settings"].public_origin
    html = merchant_console.get(PAGE).data.decode()
    assert (
        snippet(html, "script") == f'<script async src="{origin}/onsite.js" data-client-id="demo"></script>'
    )
    tags = snippet(html, "placements").splitlines()
    assert len(tags) == len(current(app)["placements"])
    assert (
        '<onsite-placement data-key="credit-badge" data-purchase-amount="9900" data-locale="en-GB">'
        "</onsite-placement>" in tags
    )  # the demo has no markets, only currencies (the older form), en-GB among them
    assert snippet(html, "csp") == f"Content-Security-Policy: script-src 'self' {origin}; frame-src {origin}"
    assert "connect-src" in html and "never fetches" in html
    assert 'aria-current="page">Install<' in html


def test_the_first_markets_locale_is_used(app, admin_console) -> None:  # type: ignore[no-untyped-def]
    doc = current(app)
    markets = [{"country": "SE", "locale": "sv-SE", "currency": "SEK"}]
    app.extensions["onsite.merchants"].documents.save(
        {**doc, "markets": markets}, {"kind": "test", "id": "t"}, "2026-12-06T00:00:00+00:00", doc["version"]
    )
    assert 'data-locale="sv-SE"' in snippet(admin_console.get(PAGE).data.decode(), "placements")


def test_checking_a_page_reports_each_need_without_fetching_it(  # type: ignore[no-untyped-def]
    app, merchant_console, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the check must not open a connection")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    response = post_form(merchant_console, PAGE, PAGE + "/check", {"url": "http://localhost:5000/demo?x=1"})
    assert response.status_code == 200
    html = response.data.decode()
    assert checks(html) == {
        "origin_allowed": True,
        "client_live": True,
        "has_market": True,
        "has_placement": True,
        "has_campaign": True,
    }
    assert 'data-testid="allow-origin"' not in html


def test_a_www_miss_is_named_and_one_click_allows_the_origin(app, merchant_console) -> None:  # type: ignore[no-untyped-def]
    doc = current(app)
    app.extensions["onsite.merchants"].documents.save(
        {**doc, "allowed_origins": ["https://www.shop.example"]},
        {"kind": "test", "id": "t"},
        "2026-12-06T00:00:00+00:00",
        doc["version"],
    )
    response = post_form(merchant_console, PAGE, PAGE + "/check", {"url": "https://Shop.example/chairs"})
    html = response.data.decode()
    assert checks(html)["origin_allowed"] is False
    assert "https://shop.example is not an allowed origin, but https://www.shop.example is" in html
    assert 'name="origin" value="https://shop.example"' in html
    before = current(app)["version"]
    allowed = post_form(merchant_console, PAGE, PAGE + "/allow", {"origin": "https://shop.example"})
    assert allowed.status_code == 303
    assert current(app)["allowed_origins"] == ["https://www.shop.example", "https://shop.example"]
    assert current(app)["version"] == before + 1
    assert b"https://shop.example is now an allowed origin" in merchant_console.get(allowed.location).data
    record = list(app.extensions["onsite.audit"].records())[-1]
    assert record["action"] == "merchant.update" and record["details"]["fields"] == ["allowed_origins"]
    again = post_form(merchant_console, PAGE, PAGE + "/allow", {"origin": "https://shop.example"})
    assert (
        again.status_code == 303 and current(app)["version"] == before + 1
    )  # already allowed: no new version


def test_a_disabled_merchant_and_missing_pieces_fail(app, admin_console) -> None:  # type: ignore[no-untyped-def]
    created = post_form(
        admin_console, "/console", "/console/merchants", {"client_id": "bare", "name": "Bare"}
    )
    assert created.status_code == 303
    assert post_form(
        admin_console, "/console/m/bare/settings", "/console/m/bare/settings/state", {"disabled": "1"}
    )
    response = post_form(
        admin_console,
        "/console/m/bare/install",
        "/console/m/bare/install/check",
        {"url": "https://bare.example/"},
    )
    assert checks(response.data.decode()) == dict.fromkeys(
        ["origin_allowed", "client_live", "has_market", "has_placement", "has_campaign"], False
    )
    assert b"No placement keys yet" in admin_console.get("/console/m/bare/install").data


@pytest.mark.parametrize(
    ("url", "text"),
    [
        ("shop.example/page", "write it whole"),
        ("http://shop.example/", "use https"),
        ("https://*.shop.example/", "wildcards"),
        ("https://user:pw@shop.example/", "user name"),
        ('javascript:alert("x")', "not a URL"),
        ("https://" + "a" * 3000 + ".example/", "At most 2048"),
        ("file:///etc/passwd", "not an origin"),
    ],
)
def test_urls_without_an_allowable_origin_are_refused(merchant_console, url: str, text: str) -> None:  # type: ignore[no-untyped-def]
    response = post_form(merchant_console, PAGE, PAGE + "/check", {"url": url})
    assert response.status_code == 400
    html = response.data.decode()
    assert 'id="url-problem" role="alert"' in html and text in html and 'aria-invalid="true"' in html
    assert 'data-testid="check-results"' not in html and "<script>alert" not in html


def test_allow_refuses_a_forged_origin_and_other_merchants(app, merchant_console) -> None:  # type: ignore[no-untyped-def]
    before = current(app)["version"]
    for origin in ("https://evil.example/path", "http://evil.example", "<script>"):
        response = post_form(merchant_console, PAGE, PAGE + "/allow", {"origin": origin})
        assert response.status_code == 400
    assert current(app)["version"] == before
    token = csrf_of(merchant_console.get(PAGE).data)
    for path in ("/allow", "/check"):
        response = merchant_console.post(
            "/console/m/other-shop/install" + path, data={"origin": "https://x.example", "csrf_token": token}
        )
        assert response.status_code == 404
    for token_value in (None, "x" * 43):
        data = {"origin": "https://csrf.example", **({"csrf_token": token_value} if token_value else {})}
        response = merchant_console.post(PAGE + "/allow", data=data)
        assert response.status_code == 400 and b"This form expired" in response.data
    assert current(app)["version"] == before
