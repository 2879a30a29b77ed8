"""The console's campaign pages against a real Redis, through to the real render at /rpc."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from bff.console.campaigns import listed_state
from tests.console.conftest import csrf_of, post_form, signed_in

NEW = "/console/m/demo/campaigns/new"
LIST = "/console/m/demo/campaigns"
SESSION = "0123456789abcdef0123456789abcdef"
# Above every demo campaign's range (GBP 30-5,000), so only this campaign can show.
AMOUNT = 700000


def campaign_form(**overrides: Any) -> dict[str, Any]:
    """A two-variant campaign for en-GB between £6,000 and £10,000, as the editor posts it."""
    form: dict[str, Any] = {
        "id": "big-ticket",
        "name": "Big ticket",
        "status": "active",
        "placements": ["badge", "strip"],
        "countries": ["GB"],
        "locales": ["en-GB"],
        "currency": "GBP",
        "amount_min": "6000",
        "amount_max": "10000.00",
        "timezone": "Europe/London",
        "start": "2026-01-01T00:00",
        "priority": "50",
        "options-0-id": "pay_in_4",
        "options-0-type": "pay_in_n",
        "options-0-term": "4",
        "options-0-min": "30",
        "options-0-max": "10000",
        "options-1-type": "financing",
        "options-1-term": "12",
        "options-1-apr": "9,9",
        "options-1-min": "200",
        "options-1-max": "10000",
        "options-2-type": "pay_in_n",
        "variants-0-id": "a",
        "variants-0-weight": "50",
        "variants-0-lead": "pay_in_4",
        "variants-0-copy-en-badge": "Variant A: {installments} payments of {installment}",
        "variants-1-id": "b",
        "variants-1-weight": "50",
        "variants-1-lead": "financing_12",
        "variants-1-copy-en-badge": "Variant B: {monthly} a month",
    }
    return {**form, **overrides}


def render(rpc, amount: int = AMOUNT) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    params = {
        "client_id": "demo",
        "placement_key": "credit-badge",
        "locale": "en-GB",
        "purchase_amount": amount,
        "session_id": SESSION,
    }
    result: dict[str, Any] = rpc("placements.render", params)["result"]
    return result


def create(client, **overrides: Any) -> Any:  # type: ignore[no-untyped-def]
    return post_form(client, NEW, NEW, campaign_form(**overrides))


def test_the_tab_lists_the_demo_campaigns(merchant_console) -> None:  # type: ignore[no-untyped-def]
    page = merchant_console.get(LIST)
    assert page.status_code == 200
    html = page.data.decode()
    assert 'aria-current="page">Campaigns<' in html
    assert "us-lead-test" in html and "lead-pay-in-4 (50), lead-pay-later (50)" in html


def test_create_a_two_variant_campaign_and_see_it_render(merchant_console, rpc, app) -> None:  # type: ignore[no-untyped-def]
    assert render(rpc)["kind"] == "empty"
    response = create(merchant_console)
    assert response.status_code == 303, response.data.decode()
    listed = merchant_console.get(response.headers["Location"]).data.decode()
    assert "Campaign <code>big-ticket</code> published" in listed
    assert re.search(r"Big ticket</a></td>\s*<td><code>big-ticket</code></td>\s*<td[^>]*>live</td>", listed)
    stored = app.extensions["onsite.campaigns"].get("demo", "big-ticket")
    assert stored["amount"] == {"currency": "GBP", "min": 600000, "max": 1000000}
    assert stored["payment_options"][1] == {
        "id": "financing_12",
        "type": "financing",
        "months": 12,
        "apr": 9.9,
        "min": 20000,
        "max": 1000000,
    }
    shown = render(rpc)
    assert shown["campaign_id"] == "big-ticket"
    assert shown["variant"] in ("a", "b")
    assert shown["text"].startswith(f"Variant {shown['variant'].upper()}:")


def test_every_change_is_audited_with_the_user(merchant_console, app) -> None:  # type: ignore[no-untyped-def]
    create(merchant_console)
    post_form(merchant_console, LIST, f"{LIST}/big-ticket/status", {"action": "pause"})
    records = [
        r
        for r in app.extensions["onsite.audit"].records()
        if r.get("target", {}).get("campaign_id") == "big-ticket"
    ]
    assert [(r["action"], r["target"]["version"], r["details"]["status"]) for r in records] == [
        ("campaign.create", 1, "active"),
        ("campaign.update", 2, "paused"),
    ]
    assert all(r["actor"] == {"kind": "user", "id": merchant_console.username} for r in records)


def test_a_paused_campaign_stops_rendering(merchant_console, rpc) -> None:  # type: ignore[no-untyped-def]
    create(merchant_console)
    assert render(rpc)["campaign_id"] == "big-ticket"
    response = post_form(merchant_console, LIST, f"{LIST}/big-ticket/status", {"action": "pause"})
    assert response.status_code == 303
    assert render(rpc)["kind"] == "empty"
    assert (
        "paused: it is saved but not shown"
        in merchant_console.get(response.headers["Location"]).data.decode()
    )
    post_form(merchant_console, LIST, f"{LIST}/big-ticket/status", {"action": "publish"})
    assert render(rpc)["campaign_id"] == "big-ticket"


def test_saving_as_paused_does_not_show(merchant_console, rpc) -> None:  # type: ignore[no-untyped-def]
    response = create(merchant_console, status="paused")
    assert response.status_code == 303
    assert (
        "paused: it is saved but not shown"
        in merchant_console.get(response.headers["Location"]).data.decode()
    )
    assert render(rpc)["kind"] == "empty"


def test_edit_keeps_the_form_and_moves_the_version(merchant_console, app) -> None:  # type: ignore[no-untyped-def]
    create(merchant_console)
    edit = f"{LIST}/big-ticket/edit"
    page = merchant_console.get(edit).data.decode()
    assert 'name="version" id="version" value="1"' in page
    assert 'id="variants-1-copy-en-badge" name="variants-1-copy-en-badge"' in page
    assert 'value="10000"' in page and 'value="9.9"' in page
    response = post_form(merchant_console, edit, edit, campaign_form(name="Bigger ticket", version="1"))
    assert response.status_code == 303
    assert app.extensions["onsite.campaigns"].get("demo", "big-ticket")["version"] == 2


def test_a_stale_version_is_a_clear_message_and_keeps_the_input(merchant_console, app) -> None:  # type: ignore[no-untyped-def]
    create(merchant_console)
    edit = f"{LIST}/big-ticket/edit"
    other = signed_in(app, "merchant_admin", "demo")
    assert post_form(other, edit, edit, campaign_form(name="Theirs", version="1")).status_code == 303
    response = post_form(merchant_console, edit, edit, campaign_form(name="Mine", version="1"))
    assert response.status_code == 409
    html = response.data.decode()
    assert "Someone else saved this campaign since you opened it (it is now at version 2)" in html
    assert 'value="Mine"' in html and 'name="version" id="version" value="2"' in html
    assert app.extensions["onsite.campaigns"].get("demo", "big-ticket")["name"] == "Theirs"
    again = post_form(merchant_console, edit, edit, campaign_form(name="Mine", version="2"))
    assert again.status_code == 303


def test_problems_show_beside_their_fields_and_nothing_is_saved(merchant_console, app) -> None:  # type: ignore[no-untyped-def]
    response = create(
        merchant_console, amount_min="lots", **{"variants-1-weight": "0", "options-1-apr": "150"}
    )
    assert response.status_code == 400
    html = response.data.decode()
    assert "3 problems: nothing was saved" in html
    for field in ("amount_min", "variants-1-weight", "options-1-apr"):
        assert f'aria-invalid="true" aria-describedby="{field}-problem"' in html
        assert f'<p class="con-error" id="{field}-problem" role="alert">' in html
        assert f'<a href="#{field}">' in html
    assert 'value="lots"' in html
    assert "big-ticket" not in {c["id"] for c in app.extensions["onsite.campaigns"].list("demo")}


def test_an_existing_id_is_refused_on_its_field(merchant_console) -> None:  # type: ignore[no-untyped-def]
    response = create(merchant_console, id="gb-pay-in-4")
    assert response.status_code == 409
    assert "a campaign with this id exists already" in response.data.decode()


def test_hostile_copy_is_refused_with_clear_problems(merchant_console, rpc) -> None:  # type: ignore[no-untyped-def]
    select = "{first_name, select, " + " ".join(f"k{i} {{x}}" for i in range(300)) + " other {y}}"
    form = {
        "copy-en-title": "{{7*7}}",
        "copy-en-cta": "<script>alert(1)</script>",
        "variants-0-copy-en-badge": select[:2000],
        "copy-en-intro": "x" * 2000,
    }
    response = create(merchant_console, **form)
    assert response.status_code == 400
    html = response.data.decode()
    for field in ("copy-en-title", "copy-en-cta", "variants-0-copy-en-badge", "copy-en-intro"):
        assert f'id="{field}-problem" role="alert"' in html
    assert "old template syntax" in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert render(rpc)["kind"] == "empty"


def test_posts_need_the_csrf_token(merchant_console) -> None:  # type: ignore[no-untyped-def]
    assert merchant_console.post(NEW, data=campaign_form()).status_code == 400
    assert merchant_console.post(NEW, data={**campaign_form(), "csrf_token": "forged"}).status_code == 400
    status = merchant_console.post(f"{LIST}/gb-pay-in-4/status", data={"action": "pause"})
    assert status.status_code == 400


def test_another_merchants_campaigns_are_not_found(app, merchant_console) -> None:  # type: ignore[no-untyped-def]
    other = "/console/m/someone-else/campaigns"
    assert merchant_console.get(other).status_code == 404
    assert merchant_console.get(f"{other}/gb-pay-in-4/edit").status_code == 404
    token = csrf_of(merchant_console.get(LIST).data)
    posted = merchant_console.post(
        f"{other}/gb-pay-in-4/status", data={"action": "pause", "csrf_token": token}
    )
    assert posted.status_code == 404
    assert merchant_console.get(f"{LIST}/no-such-campaign/edit").status_code == 404
    gone = merchant_console.post(
        f"{LIST}/no-such-campaign/edit", data={**campaign_form(), "csrf_token": token}
    )
    assert gone.status_code == 404


def test_an_unknown_status_action_is_refused(merchant_console) -> None:  # type: ignore[no-untyped-def]
    response = post_form(merchant_console, LIST, f"{LIST}/gb-pay-in-4/status", {"action": "delete"})
    assert response.status_code == 400
    assert "Choose publish, pause or archive." in response.data.decode()


def test_oversized_forms_are_refused_plainly(merchant_console) -> None:  # type: ignore[no-untyped-def]
    token = csrf_of(merchant_console.get(NEW).data)
    many = {f"field-{i}": "x" for i in range(10_000)}
    response = merchant_console.post(NEW, data={**many, "csrf_token": token})
    assert response.status_code == 413
    assert "larger than the console accepts" in response.data.decode()
    huge = merchant_console.post(NEW, data={**campaign_form(name="x" * 2_000_000), "csrf_token": token})
    assert huge.status_code == 413
    long_value = merchant_console.post(NEW, data={**campaign_form(name="x" * 600_000), "csrf_token": token})
    assert long_value.status_code == 413
    long_name = merchant_console.post(NEW, data={**campaign_form(name="x" * 201), "csrf_token": token})
    assert long_name.status_code == 400
    assert "must be at most 200 characters" in long_name.data.decode()


@pytest.mark.parametrize(
    ("doc", "state"),
    [
        ({"status": "paused"}, "paused"),
        ({"status": "archived"}, "archived"),
        ({}, "live"),
        ({"schedule": {"timezone": "Europe/Berlin", "start": "2026-03-01T01:01"}}, "scheduled"),
        ({"schedule": {"timezone": "Europe/Berlin", "start": "2026-03-01T01:00"}}, "live"),
        ({"schedule": {"timezone": "UTC", "end": "2026-03-01T00:00"}}, "ended"),
        ({"schedule": {"timezone": "Mars/Olympus", "end": "2026-03-01T00:00"}}, "live"),
    ],
)
def test_listed_state(doc: dict[str, Any], state: str) -> None:
    now = dt.datetime(2026, 3, 1, 0, 0, tzinfo=dt.UTC)  # 01:00 in Berlin
    assert listed_state(doc, now) == state


def test_an_admin_manages_any_merchants_campaigns(admin_console) -> None:  # type: ignore[no-untyped-def]
    assert admin_console.get(LIST).status_code == 200
    assert admin_console.get(f"{LIST}/gb-pay-in-4/edit").status_code == 200
