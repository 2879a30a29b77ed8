"""Screenshots of the merchant console in the QA report (Chromium, desktop and a phone).

Recorded for a person to look at, not compared with baselines: the console's behaviour
and accessibility have their own suites (e2e/test_console_*.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from e2e.conftest import LiveServer
from e2e.console_sign_in import sign_in_to_console
from e2e.qa.console_shots import CONSOLE_PAGES, console_page_shot
from e2e.qa.matrix import DEVICES
from e2e.qa.report import Report, Screenshot

SHOT_DEVICES = ("desktop", "iphone-13")


@pytest.fixture(params=SHOT_DEVICES)
def console_page(request: pytest.FixtureRequest, browser: Any) -> Iterator[tuple[Page, str]]:
    """A fresh Chromium page at a device's viewport (scale, touch, user agent), and the device's name."""
    device = DEVICES[request.param]
    context = browser.new_context(**device.playwright_options, is_mobile=device.mobile)
    yield context.new_page(), device.name
    context.close()


def test_console_screenshots(
    console_page: tuple[Page, str], live_server: LiveServer, qa_report: Report, qa_output: Path
) -> None:
    page, device = console_page
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    console_url = f"{live_server.public_origin}/console"
    browser = page.context.browser
    engine = f"Chromium {browser.version}" if browser else "Chromium"
    signed_in = False
    for shot in CONSOLE_PAGES:
        if shot.path != "/login" and not signed_in:
            sign_in_to_console(page, live_server, role="admin", merchant=None)
            signed_in = True
        path = qa_output / "shots" / "console" / device / f"{shot.name}.png"
        console_page_shot(page, console_url, shot, path)
        qa_report.console_shots.append(
            Screenshot(
                caption=f"{shot.name} (/console{shot.path}), {device} {DEVICES[device].width} px, {engine}",
                path=str(path.relative_to(qa_output)),
            )
        )
    qa_report.write_part()
    assert errors == []
