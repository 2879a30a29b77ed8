"""The one interface every engine runner implements, so each suite is written once.

A :class:`BrowserTab` is one fresh browser tab (its own storage) at one device's
viewport, scale and user agent. A :class:`Scope` is a document in it that a test
scripts: the merchant's page (``tab.page``) or one of the widget's cross-origin frames
(``tab.frame("#badge iframe")``). Scripts are JavaScript function expressions taking
one JSON argument, e.g. ``"(sel) => document.querySelector(sel).textContent"``; they
may return a promise. Waiting is polling from Python (:func:`wait_until`), the same in
every engine: Playwright's own ``wait_for_function`` evaluates its predicate with
``eval`` inside the page, which the frames' CSP forbids in Firefox.

Runners: ``playwright_tab.py`` (Chromium, Firefox) and ``webkit_tab.py`` (WebKitGTK
through WebDriver).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Protocol

from e2e.qa.matrix import Device

DEFAULT_TIMEOUT_S = 15.0
# Polling starts fast (most conditions hold within a few milliseconds of the action that
# causes them: a resize, a click) and backs off to POLL_INTERVAL_S.
FIRST_POLL_INTERVAL_S = 0.01
POLL_INTERVAL_S = 0.1
KEYS = ("Tab", "Shift+Tab", "Enter", "Escape", "ArrowDown", "ArrowUp", "Space")


class Scope(Protocol):
    """A document of the tab: the merchant page or one of the widget's frames."""

    description: str

    def evaluate(self, script: str, arg: Any = None) -> Any:
        """Run a function expression with ``arg``; its (awaited) JSON result."""
        ...

    def click(self, selector: str) -> None:
        """A real pointer click on the first element matching ``selector``, once it can take
        one (visible, not covered, not moving), waiting a few seconds for that as Playwright does."""
        ...

    def screenshot(self, selector: str) -> bytes:
        """PNG of the first element matching ``selector``, at the device's pixel ratio."""
        ...


class BrowserTab(Protocol):
    """One fresh tab of one engine at one device's viewport, scale and user agent."""

    engine: str
    device: Device
    page: Scope
    # Errors the runner itself saw in any frame: Playwright's page errors and console
    # errors; WebDriver reports none (the page's own recorder, pages/qa.js, works everywhere).
    problems: list[str]

    def goto(self, url: str) -> None: ...

    def frame(self, iframe_selector: str) -> Scope:
        """The document inside the merchant page's iframe matching ``iframe_selector``."""
        ...

    def press(self, key: str) -> None:
        """A real key press (one of KEYS) sent to whatever has the focus."""
        ...

    def park_pointer(self) -> None:
        """Move the pointer to the viewport's bottom-right corner, so nothing shows :hover."""
        ...

    def save_artifacts(self, directory: Path, failed: bool) -> list[Path]:
        """On failure, keep what explains it (a screenshot; a trace where the runner has one)."""
        ...

    def close(self) -> None: ...


class WaitTimeout(AssertionError):
    """A condition did not hold within its timeout."""


def wait_until(scope: Scope, script: str, arg: Any = None, timeout_s: float = DEFAULT_TIMEOUT_S) -> Any:
    """Poll ``script`` in ``scope`` until it returns a truthy value, and return that value.

    Errors while polling (a frame still on about:blank, or navigating) count as not yet.
    Polls 10 ms apart at first, then twice as far apart each time, up to 100 ms.
    """
    deadline = time.monotonic() + timeout_s
    interval = FIRST_POLL_INTERVAL_S
    last_error = ""
    while True:
        try:
            value = scope.evaluate(script, arg)
            if value:
                return value
        except Exception as exc:  # the document may be between navigations
            last_error = f" (last error: {exc})"
        if time.monotonic() > deadline:
            raise WaitTimeout(f"{scope.description}: not true after {timeout_s:.0f}s: {script}{last_error}")
        time.sleep(interval)
        interval = min(interval * 2, POLL_INTERVAL_S)
