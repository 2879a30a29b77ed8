"""Signing in to the console in a browser, as a new user: shared by the console's e2e suites."""

from __future__ import annotations

import pyotp
from playwright.sync_api import Page, expect

from e2e.conftest import LIVE_PASSWORD, LiveServer


def sign_in_to_console(
    page: Page, server: LiveServer, role: str = "merchant_admin", merchant: str | None = "demo"
) -> str:
    """Create a user of ``role``, sign ``page`` in at /console/login (password, TOTP); the username."""
    username, secret = server.create_user(role, merchant)
    page.goto(f"{server.public_origin}/console/login")
    page.fill("#username", username)
    page.fill("#password", LIVE_PASSWORD)
    page.fill("#code", pyotp.TOTP(secret).now())
    page.click("button[type=submit]")
    expect(page.get_by_test_id("console-user")).to_contain_text(username)
    return username
