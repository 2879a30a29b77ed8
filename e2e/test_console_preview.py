"""The campaign editor's live preview and the locale grid, in Chromium and Firefox.

A merchant admin of the demo signs in, opens a campaign, types copy and sees the real
badge frame change, switches the preview's market and sees the money format change, then
opens the grid of every market's locale. The preview's frames are the shop's frames,
served by the console to the console's own origin.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import FrameLocator, Page, expect

from e2e.conftest import LiveServer
from e2e.console_sign_in import sign_in_to_console

pytestmark = pytest.mark.e2e

CAMPAIGN = "eurozone-pay-in-4"  # FR, NL, ES and IT: one currency, several money formats
TIMEOUT_MS = 15_000
ROW_VALUES = """(row) => Object.fromEntries([...document.querySelectorAll(`[name^="options-${row}-"]`)]
  .map((field) => [field.name, field.value]))"""


def badge_text(page: Page) -> Any:
    frame: FrameLocator = page.frame_locator("[data-testid=preview-badge] iframe")
    return frame.locator("[data-testid=onsite-badge-text]")


def test_the_preview_follows_the_form_and_the_grid_shows_every_market(
    engine_page: tuple[Page, list[str]], live_server: LiveServer
) -> None:
    page, _warnings = engine_page
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in_to_console(page, live_server)
    page.goto(f"{live_server.public_origin}/console/m/demo/campaigns/{CAMPAIGN}/edit")

    page.get_by_test_id("preview-locale").select_option(label="fr-FR · EUR")
    expect(badge_text(page)).to_contain_text(re.compile(r"25,00\s€"), timeout=TIMEOUT_MS)
    expect(badge_text(page)).to_contain_text("Payez en 4")

    page.locator("details[data-language=fr] > summary").click()
    page.locator('[name="copy-fr-badge.pay_in_n"]').fill("Essai en direct {installment}")
    expect(badge_text(page)).to_have_text(re.compile(r"^Essai en direct 25,00\s€$"), timeout=TIMEOUT_MS)

    page.get_by_test_id("preview-locale").select_option(label="nl-NL · EUR")
    expect(badge_text(page)).to_contain_text(re.compile(r"€\s25,00"), timeout=TIMEOUT_MS)

    page.get_by_test_id("preview-amount").fill("abc")
    page.get_by_test_id("preview-amount").fill("200")
    expect(badge_text(page)).to_contain_text(re.compile(r"€\s50,00"), timeout=TIMEOUT_MS)
    # The strip, the compact badge and the dialog are real frames too.
    for name in ("strip", "compact", "interstitial"):
        expect(page.locator(f"[data-testid=preview-{name}] iframe")).to_have_count(1)
    dialog = page.frame_locator("[data-testid=preview-interstitial] iframe")
    expect(dialog.locator("body")).to_contain_text(re.compile(r"€\s50,00"), timeout=TIMEOUT_MS)

    grid_url = page.get_by_test_id("preview-grid-link").get_attribute("href")
    assert grid_url and "draft=" in grid_url
    page.goto(f"{live_server.public_origin}{grid_url}")
    cells = page.get_by_test_id("grid-cell")
    expect(cells).to_have_count(11)
    expect(page.locator("[data-testid=grid-cell] iframe")).to_have_count(11)
    fr = page.locator("[data-testid=grid-cell][data-locale=fr-FR]")
    expect(fr.locator("figcaption")).to_have_text("fr-FR · EUR")
    fr_badge = fr.frame_locator("iframe").locator("[data-testid=onsite-badge-text]")
    expect(fr_badge).to_have_text(re.compile(r"^Essai en direct 50,00\s€$"), timeout=TIMEOUT_MS)
    de = page.locator("[data-testid=grid-cell][data-locale=de-DE]")
    expect(de.get_by_test_id("grid-empty")).to_contain_text("not in the campaign's markets")
    assert not [e for e in errors if "Content Security Policy" in e or "frame-ancestors" in e], errors


def test_the_merchant_picks_the_variant_the_preview_shows(
    engine_page: tuple[Page, list[str]], live_server: LiveServer
) -> None:
    """The demo's US A/B campaign leads with pay in 4 or pay in 30 days: each shows on request."""
    page, _warnings = engine_page
    sign_in_to_console(page, live_server)
    page.goto(f"{live_server.public_origin}/console/m/demo/campaigns/us-lead-test/edit")
    choice = page.get_by_test_id("preview-variant")
    expect(choice.locator("option")).to_have_text(
        ["as the split decides", "lead-pay-in-4", "lead-pay-later"], timeout=TIMEOUT_MS
    )
    for _ in range(2):  # back and forth: each choice shows its own lead, every time
        choice.select_option("lead-pay-later")
        expect(badge_text(page)).to_contain_text("in 30 days", timeout=TIMEOUT_MS)
        choice.select_option("lead-pay-in-4")
        expect(badge_text(page)).not_to_contain_text("in 30 days", timeout=TIMEOUT_MS)
        expect(badge_text(page)).to_contain_text(re.compile(r"\$\s?25\.00"))


def test_an_option_typed_before_the_console_script_ran_can_lead(
    engine_page: tuple[Page, list[str]], live_server: LiveServer
) -> None:
    """The merchant types while the console's script is still on its way (a slow network, or
    rows the browser restored): the lead lists the new option once the script runs."""
    page, _warnings = engine_page
    sign_in_to_console(page, live_server)
    held: list[Any] = []
    page.route(re.compile(r"/static/console-[0-9a-f]+\.js$"), lambda route: held.append(route))
    page.goto(f"{live_server.public_origin}/console/m/demo/campaigns/us-lead-test/edit", wait_until="commit")
    last_term = page.locator('[name$="-term"][name^="options-"]').last
    last_term.wait_for()
    row = (last_term.get_attribute("name") or "").split("-")[1]
    page.locator(f'[name="options-{row}-type"]').select_option("financing")
    last_term.fill("36")
    page.wait_for_function("() => true")  # lets the route handler run
    assert len(held) == 1, "the console script was not held back"
    held[0].continue_()
    lead = page.locator('[name="variants-0-lead"]')
    expect(lead.locator('option[value="financing_36"]')).to_have_count(1, timeout=TIMEOUT_MS)


def test_a_new_payment_option_can_lead_before_the_campaign_is_saved(
    engine_page: tuple[Page, list[str]], live_server: LiveServer
) -> None:
    page, _warnings = engine_page
    sign_in_to_console(page, live_server)
    page.goto(f"{live_server.public_origin}/console/m/demo/campaigns/us-lead-test/edit")
    expect(page.get_by_test_id("preview-variant")).to_be_visible(timeout=TIMEOUT_MS)  # the script runs
    last = page.locator(".con-option").count() - 1
    lead = page.locator('[name="variants-0-lead"]')
    expect(lead.locator('option[value="financing_36"]')).to_have_count(0)
    page.locator(f'[name="options-{last}-type"]').select_option("financing")
    page.locator(f'[name="options-{last}-term"]').fill("36")
    try:
        expect(lead.locator('option[value="financing_36"]')).to_have_count(1, timeout=TIMEOUT_MS)
    except AssertionError:  # say what the page held
        options, row = lead.locator("option").all_inner_texts(), page.evaluate(ROW_VALUES, last)
        raise AssertionError(f"lead options {options}, row {last}: {row}") from None
    lead.select_option("financing_36")
    page.locator(f'[name="options-{last}-term"]').fill("48")  # the chosen one stays listed and chosen
    expect(lead.locator('option[value="financing_48"]')).to_have_count(1, timeout=TIMEOUT_MS)
    expect(lead).to_have_value("financing_36")
