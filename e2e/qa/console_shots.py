"""Full-page screenshots of the merchant console for the QA report: the pages, and how
to tell that each has settled (its preview frames rendered) before the shot."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Page, expect

# The campaign the shots open: the demo's UK campaign, which the en-GB preview renders.
CAMPAIGN = "gb-pay-in-4"
FRAME_TIMEOUT_MS = 15_000


@dataclass(frozen=True)
class ConsolePage:
    name: str  # the shot's file name and caption
    path: str  # under /console
    # The iframe (CSS selector) whose badge text must be rendered before the shot, if any.
    frame: str | None = None


CONSOLE_PAGES = (
    ConsolePage("login", "/login"),
    ConsolePage("merchant-list", ""),
    ConsolePage("overview", "/m/demo"),
    ConsolePage("settings", "/m/demo/settings"),
    ConsolePage(
        "campaign-editor", f"/m/demo/campaigns/{CAMPAIGN}/edit", frame="[data-testid=preview-badge] iframe"
    ),
    ConsolePage(
        "locale-grid",
        f"/m/demo/campaigns/{CAMPAIGN}/grid",
        frame="[data-testid=grid-cell][data-locale=en-GB] iframe",
    ),
    ConsolePage("install", "/m/demo/install"),
)


def console_page_shot(page: Page, console_url: str, shot: ConsolePage, path: Path) -> None:
    """Open ``shot`` and write a full-page PNG of it (CSS pixels) to ``path`` once it has settled."""
    page.goto(console_url + shot.path)
    expect(page.locator("main")).to_be_visible()
    if shot.frame:
        badge = page.frame_locator(shot.frame).get_by_test_id("onsite-badge-text")
        expect(badge).not_to_be_empty(timeout=FRAME_TIMEOUT_MS)
    page.evaluate("() => document.fonts.ready.then(() => true)")
    page.mouse.move(0, 0)  # nothing shows :hover
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True, scale="css", animations="disabled")
