"""The settings page: saving, problems by field, stale versions, history, state, scope, CSRF."""

from __future__ import annotations

import re
from typing import Any

from tests.console.conftest import csrf_of, post_form

PAGE = "/console/m/demo/settings"


def current(app, client_id: str = "demo") -> dict[str, Any]:  # type: ignore[no-untyped-def]
    found: dict[str, Any] = app.extensions["onsite.merchants"].documents.current(client_id)
    return found


def audit_actions(app) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    return list(app.extensions["onsite.audit"].records())


def settings_form(app, **fields: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """A post of the demo's settings at its current version, with ``fields`` on top."""
    doc = current(app)
    rows = {f"placement-{i}-key": key for i, key in enumerate(doc["placements"])}
    rows |= {f"placement-{i}-type": kind for i, kind in enumerate(doc["placements"].values())}
    origins = "\n".join(doc["allowed_origins"])
    return {"name": doc["name"], "origins": origins, "version": str(doc["version"]), **rows, **fields}


def test_the_page_shows_the_document_with_spare_rows(admin_console) -> None:  # type: ignore[no-untyped-def]
    page = admin_console.get(PAGE)
    assert page.status_code == 200
    html = page.data.decode()
    assert 'aria-current="page">Settings<' in html
    assert (
        'name="placement-1-key" value="credit-badge"' in html and "http://localhost:5000</textarea>" in html
    )
    # The demo lists currencies (the older form): shown as its 11 markets, plus 3 spare rows.
    rows = re.findall(r'name="market-(\d+)-locale" value="([a-z]{2}-[A-Z]{2})"', html)
    assert len(rows) == 11 and {row[1] for row in rows} >= {"de-DE", "en-GB", "pl-PL"}
    assert 'value="DE"' in html and 'value="PLN"' in html
    assert 'name="market-13-country"' in html and 'name="market-14-country"' not in html
    assert 'type="color"' in html and "scheme, host and port" in html
    assert re.search(r'name="version" value="\d+"', html)


def test_an_admin_saves_every_section_and_it_is_audited(app, admin_console) -> None:  # type: ignore[no-untyped-def]
    before = current(app)["version"]
    form = settings_form(
        app,
        name="Nordhem «Living»",
        origins="https://Shop.example/\nhttp://localhost:5000",
        with_www="1",
        use_colors="1",
        **{"market-0-country": "gb", "market-0-locale": "en-GB", "market-0-currency": "gbp"},
        **{"placement-9-key": "cart-strip", "placement-9-type": "strip"},
        **{
            "brand-primary_color": "#112233",
            "brand-text_color": "#000000",
            "brand-background_color": "#FFFFFF",
        },
        **{"brand-corner_radius": "8", "brand-font": "system", "brand-logo_url": "https://cdn.example/l.svg"},
    )
    response = post_form(admin_console, PAGE, PAGE, form)
    assert response.status_code == 303 and response.location.endswith(f"?saved={before + 1}&same=0")
    doc = current(app)
    assert doc["name"] == "Nordhem «Living»"
    assert doc["allowed_origins"] == [
        "https://shop.example",
        "https://www.shop.example",
        "http://localhost:5000",
    ]
    assert doc["markets"] == [{"country": "GB", "locale": "en-GB", "currency": "GBP"}]
    assert doc["placements"]["cart-strip"] == "strip" and doc["placements"]["credit-badge"] == "badge"
    assert doc["brand"]["background_color"] == "#ffffff" and doc["brand"]["corner_radius"] == 8
    assert b"Saved as version" in admin_console.get(response.location).data
    record = audit_actions(app)[-1]
    assert record["action"] == "merchant.update" and record["actor"] == {
        "kind": "user",
        "id": admin_console.username,
    }
    assert {"name", "allowed_origins", "markets", "placements", "brand"} <= set(record["details"]["fields"])


def test_saving_nothing_new_writes_no_version(app, admin_console) -> None:  # type: ignore[no-untyped-def]
    before = current(app)["version"]
    response = post_form(admin_console, PAGE, PAGE, settings_form(app))
    assert response.status_code == 303 and response.location.endswith(f"?saved={before}&same=1")
    assert current(app)["version"] == before
    assert b"Nothing changed" in admin_console.get(response.location).data


def test_problems_appear_next_to_their_fields_and_nothing_is_saved(app, admin_console) -> None:  # type: ignore[no-untyped-def]
    before = current(app)
    form = settings_form(
        app,
        name='<script>alert("x")</script>',
        origins="https://ok.example\nhttps://shop.example/checkout",
        **{"market-0-country": "GB", "market-0-locale": "en-GB", "market-0-currency": "POUNDS"},
        **{"placement-4-key": '<img src=x onerror="alert(1)">', "placement-4-type": "badge"},
    )
    response = post_form(admin_console, PAGE, PAGE, form)
    assert response.status_code == 400
    html = response.data.decode()
    # The form's own refusal (the origin) comes first; the document is not even tried.
    assert 'id="origins"' in html and 'aria-describedby="origins-problem origins-rule"' in html
    assert 'id="origins-problem" role="alert"' in html and "no path" in html
    assert current(app)["version"] == before["version"]
    # The user's input is kept, escaped.
    assert "https://ok.example" in html and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "<script>alert" not in html and "<img src=x" not in html

    form["origins"] = "https://ok.example"
    response = post_form(admin_console, PAGE, PAGE, form)
    html = response.data.decode()
    assert response.status_code == 400
    assert 'id="market-0-currency"' in html and 'aria-describedby="market-0-currency-problem"' in html
    assert re.search(r'id="market-0-currency-problem" role="alert">[^<]*ISO 4217', html)
    assert re.search(r'id="placement-4-key-problem" role="alert">[^<]*1-64 letters', html)
    assert "&lt;img src=x" in html and "<img src=x" not in html
    assert current(app)["version"] == before["version"]


def test_a_stale_save_says_who_won_and_keeps_the_input(app, admin_console) -> None:  # type: ignore[no-untyped-def]
    form = settings_form(app, name="Mine", origins="https://mine.example")
    other = post_form(admin_console, PAGE, PAGE, settings_form(app, name="Theirs"))
    assert other.status_code == 303
    now = current(app)["version"]
    response = post_form(admin_console, PAGE, PAGE, form)
    assert response.status_code == 409
    html = response.data.decode()
    assert (
        f"Someone else saved this merchant since you opened the page (version {now}): "
        "reload to see their changes" in html
    )
    assert 'value="Mine"' in html and "https://mine.example" in html
    assert current(app)["name"] == "Theirs"


def test_oversize_values_are_refused_with_a_page(app, admin_console) -> None:  # type: ignore[no-untyped-def]
    before = current(app)["version"]
    huge = settings_form(app, name="n" * 10_000, origins="https://a.example\n" * 2_000)
    response = post_form(admin_console, PAGE, PAGE, huge)
    assert response.status_code == 400
    assert b"at most 200 characters" in response.data and b"At most 20,000 characters" in response.data
    assert b"n" * 201 not in response.data  # the echo is capped too
    token = csrf_of(admin_console.get(PAGE).data)
    body = admin_console.post(PAGE, data={"csrf_token": token, "name": "x" * 2_000_000, "version": "1"})
    assert body.status_code == 413 and b"console-error" in body.data
    assert current(app)["version"] == before


def test_a_merchant_admin_edits_its_own_settings_only(app, merchant_console) -> None:  # type: ignore[no-untyped-def]
    response = post_form(
        merchant_console,
        PAGE,
        PAGE,
        settings_form(app, name="By the merchant", disabled="true", currencies="x", client_id="evil"),
    )
    assert response.status_code == 303
    doc = current(app)
    assert doc["name"] == "By the merchant" and doc["client_id"] == "demo" and not doc.get("disabled")
    documents = app.extensions["onsite.merchants"].documents
    other = {
        "client_id": "other-shop",
        "name": "Other",
        "allowed_origins": [],
        "currencies": {},
        "placements": {},
    }
    documents.save(other, {"kind": "test", "id": "t"}, "2026-12-06T00:00:00+00:00", 0)
    token = csrf_of(merchant_console.get(PAGE).data)
    for path, form in [
        ("/console/m/other-shop/settings", {"name": "Hijacked", "version": "1"}),
        ("/console/m/other-shop/settings/state", {"disabled": "1"}),
    ]:
        assert merchant_console.post(path, data={**form, "csrf_token": token}).status_code in (403, 404)
    assert current(app, "other-shop")["name"] == "Other" and not current(app, "other-shop").get("disabled")


def test_only_an_admin_disables_or_rolls_back(app, admin_console, merchant_console) -> None:  # type: ignore[no-untyped-def]
    page = merchant_console.get(PAGE).data.decode()
    assert 'data-testid="history"' in page and "Roll back" not in page and "Disable merchant" not in page
    first = current(app)["version"]
    token = csrf_of(merchant_console.get(PAGE).data)
    assert (
        merchant_console.post(PAGE + "/state", data={"disabled": "1", "csrf_token": token}).status_code == 403
    )
    rollback = {"to_version": str(first), "csrf_token": token}
    assert merchant_console.post(PAGE + "/rollback", data=rollback).status_code == 403
    assert not current(app).get("disabled") and current(app)["version"] == first

    assert post_form(admin_console, PAGE, PAGE, settings_form(app, name="Renamed")).status_code == 303
    admin_page = admin_console.get(PAGE).data.decode()
    assert "Roll back to this version" in admin_page and "Disable merchant" in admin_page
    rolled = post_form(admin_console, PAGE, PAGE + "/rollback", {"to_version": str(first)})
    assert rolled.status_code == 303 and current(app)["name"] != "Renamed"
    disabled = post_form(admin_console, PAGE, PAGE + "/state", {"disabled": "1"})
    assert disabled.status_code == 303 and current(app)["disabled"] is True
    assert b"Enable merchant" in admin_console.get(PAGE).data
    actions = [r["action"] for r in audit_actions(app)]
    assert actions[-2:] == ["merchant.rollback", "merchant.disable"]
    bad = post_form(admin_console, PAGE, PAGE + "/rollback", {"to_version": "999"})
    assert bad.status_code == 404 and current(app)["disabled"] is True


def test_posts_without_the_session_csrf_token_change_nothing(app, admin_console) -> None:  # type: ignore[no-untyped-def]
    before = current(app)["version"]
    for path in (PAGE, PAGE + "/state", PAGE + "/rollback"):
        for token in (None, "x" * 43):
            data = {**settings_form(app, name="Forged"), "disabled": "1", "to_version": "1"}
            if token:
                data["csrf_token"] = token
            response = admin_console.post(path, data=data)
            assert response.status_code == 400 and b"This form expired" in response.data
    assert current(app)["version"] == before and current(app)["name"] != "Forged"


def test_a_form_without_a_version_is_refused(app, admin_console) -> None:  # type: ignore[no-untyped-def]
    form = settings_form(app, name="No version")
    form["version"] = "²"
    response = post_form(admin_console, PAGE, PAGE, form)
    assert response.status_code == 400 and b"no version" in response.data
    assert current(app)["name"] != "No version"


def test_a_merchant_admin_chooses_which_orders_count_and_the_window(app, merchant_console) -> None:  # type: ignore[no-untyped-def]
    page = merchant_console.get(PAGE).get_data(as_text=True)
    assert '<option value="server" selected>' in page and 'name="attribution_window_days"' in page
    fields = settings_form(app, order_source="both", attribution_window_days="14")
    assert post_form(merchant_console, PAGE, PAGE, fields).status_code == 303
    doc = current(app)
    assert (doc["order_source"], doc["attribution_window_days"]) == ("both", 14)
    merchant = app.extensions["onsite.merchants"].get("demo")
    assert (merchant.order_source, merchant.attribution_window_days) == ("both", 14)
    assert '<option value="both" selected>' in merchant_console.get(PAGE).get_data(as_text=True)


def test_a_bad_order_source_or_window_is_shown_and_nothing_saved(app, admin_console) -> None:  # type: ignore[no-untyped-def]
    before = current(app)["version"]
    for bad in (
        {"order_source": "anyone"},
        {"attribution_window_days": "31"},
        {"attribution_window_days": "7d"},
    ):
        fields = settings_form(app, **{"order_source": "server", "attribution_window_days": "7", **bad})
        response = post_form(admin_console, PAGE, PAGE, fields)
        assert response.status_code == 400
        field_id = next(iter(bad))
        assert f'id="{field_id}-problem"' in response.get_data(as_text=True)
    assert current(app)["version"] == before
