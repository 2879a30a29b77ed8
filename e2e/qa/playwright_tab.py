"""Chromium and Firefox through Playwright (Python), behind the BrowserTab interface.

Each tab is a new browser context: its own storage, the device's viewport, scale, touch
and user agent (``is_mobile`` only in Chromium, the one engine Playwright emulates it in).
A trace (DOM snapshots of every action) is recorded and kept when the test fails.
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path
from typing import Any

from e2e.qa.matrix import Device

# Network failures the dead-BFF scenario causes on purpose; they are the browser's log
# lines about a failed request, not errors raised by a script.
NETWORK_NOISE = ("Failed to load resource",)
# Before a screenshot in Firefox, Playwright appends <style>body {}</style> to every frame
# to sync animations; the frames' CSP blocks it and Firefox reports that as a page error.
# Only that exact style is ignored (by its CSP hash): any other blocked style still counts.
PLAYWRIGHT_SCREENSHOT_STYLE = "sha256-" + base64.b64encode(hashlib.sha256(b"body {}").digest()).decode()


class PlaywrightScope:
    """A frame of a Playwright page, looked up again once it is detached (frames get
    replaced): polling then costs one round trip per check, not three."""

    def __init__(self, page: Any, iframe_selector: str | None, description: str) -> None:
        self._page = page
        self._iframe_selector = iframe_selector
        self.description = description
        self._cached: Any = None

    def _frame(self) -> Any:
        if self._iframe_selector is None:
            return self._page.main_frame
        if self._cached is not None and not self._cached.is_detached():
            return self._cached
        handle = self._page.query_selector(self._iframe_selector)
        frame = handle.content_frame() if handle else None
        if frame is None:
            raise LookupError(f"no frame for {self._iframe_selector}")
        self._cached = frame
        return frame

    def evaluate(self, script: str, arg: Any = None) -> Any:
        return self._frame().evaluate(script, arg)

    def click(self, selector: str) -> None:
        self._frame().locator(selector).first.click()

    def screenshot(self, selector: str) -> bytes:
        png: bytes = self._frame().locator(selector).first.screenshot()
        return png


class PlaywrightTab:
    """A fresh context and page of a Playwright browser."""

    def __init__(self, browser: Any, engine: str, device: Device, trace: bool) -> None:
        self.engine = engine
        self.device = device
        options = device.playwright_options
        if engine == "chromium":
            options["is_mobile"] = device.mobile
        self._context = browser.new_context(**options)
        self._tracing = trace
        if trace:
            # DOM snapshots per action; no screencast, which costs a core on a small machine.
            self._context.tracing.start(screenshots=False, snapshots=True)
        self._page = self._context.new_page()
        self.problems: list[str] = []
        self._page.on("pageerror", self._on_page_error)
        self._page.on("console", self._on_console)
        self.page = PlaywrightScope(self._page, None, f"{engine}/{device.name} page")

    def _on_page_error(self, error: Any) -> None:
        if PLAYWRIGHT_SCREENSHOT_STYLE not in str(error):
            self.problems.append(f"pageerror: {error}")

    def _on_console(self, message: Any) -> None:
        if message.type == "error" and not message.text.startswith(NETWORK_NOISE):
            self.problems.append(f"console: {message.text}")

    def goto(self, url: str) -> None:
        self._page.goto(url)

    def frame(self, iframe_selector: str) -> PlaywrightScope:
        return PlaywrightScope(
            self._page, iframe_selector, f"{self.engine}/{self.device.name} {iframe_selector}"
        )

    def press(self, key: str) -> None:
        self._page.keyboard.press(key)

    def park_pointer(self) -> None:
        self._page.mouse.move(self.device.width - 1, self.device.height - 1)

    def save_artifacts(self, directory: Path, failed: bool) -> list[Path]:
        saved: list[Path] = []
        if failed:
            directory.mkdir(parents=True, exist_ok=True)
            shot = directory / "viewport.png"
            try:
                self._page.screenshot(path=str(shot))
                saved.append(shot)
            except Exception as exc:  # a crashed page still gets its trace saved
                (directory / "viewport-error.txt").write_text(str(exc), encoding="utf-8")
        if self._tracing:
            self._tracing = False
            trace = directory / "trace.zip"
            self._context.tracing.stop(path=str(trace) if failed else None)
            if failed:
                saved.append(trace)
        return saved

    def close(self) -> None:
        if self._tracing:
            self._context.tracing.stop()
        self._context.close()
