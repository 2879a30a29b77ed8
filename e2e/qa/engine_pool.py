"""Starts each engine once per test session, hands out fresh tabs, and says why an engine cannot run.

- chromium: Debian's Chromium through Playwright, with partitioned third-party storage
  as shoppers' browsers have it (see ``partitioned_browser`` in ``e2e/conftest.py``).
  The visual shots (``open_tab(..., sharp_frames=True)``) use a second Chromium with site
  isolation off (``SHARP_FRAME_ARGS``): under device-metrics emulation Chromium
  rasterises an out-of-process (cross-origin) frame at a lower scale and scales it up, so
  phone and tablet shots of the widget's frames come out soft (dark pixels in the iPhone
  badge: 5,041 soft against 8,952 sharp; docs/qa.md). A phone's own Chrome draws them
  sharp. The behaviour suites keep site isolation, as shoppers have it.
- firefox: Debian's Firefox ESR through Playwright's WebDriver BiDi path
  (``channel="moz-firefox"``). Playwright 1.65 sends ``emulation.setMediaFeaturesOverride``,
  which Firefox ESR 153 does not know, so the project pins 1.64. Fission (a process per
  site) is off: with it on, real mouse and key events never reach a cross-origin iframe
  under BiDi automation (focus does, clicks do not), so no test could click a badge.
  Rendering and layout are the same engine either way.
- webkit: Debian's WebKitGTK through Selenium and WebKitWebDriver (``webkit_tab.py``).

An engine that cannot start is skipped by every test that needs it, with the reason
(``unavailable``): visible in pytest's summary and in the HTML report, never a pass.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

from e2e.conftest import CHROMIUM, CHROMIUM_ARGS, PLAYWRIGHT_DISABLED_FEATURES
from e2e.qa.browser_tab import BrowserTab
from e2e.qa.matrix import Device
from e2e.qa.playwright_tab import PlaywrightTab
from e2e.qa.virtual_display import VirtualDisplay, missing_programs
from e2e.qa.webkit_tab import MINIBROWSER, WEBDRIVER, WebKitTab

FIREFOX = "/usr/bin/firefox-esr"
# Frames in the page's renderer process, so device emulation rasterises them at the
# device's scale (see the module docstring); only for the visual shots.
SHARP_FRAME_FEATURES = ["site-per-process"]
SHARP_FRAME_ARGS = ["--disable-site-isolation-trials"]
FIREFOX_PREFS = {
    "fission.autostart": False,
    # Phones, tablets and GNOME draw overlay scrollbars; Firefox here would take 12 px of
    # a scrolling bottom sheet's width for a classic one (it has no mobile emulation).
    "ui.useOverlayScrollbars": 1,
}


class EnginePool:
    """One browser per Playwright engine, one virtual display at a time for WebKit."""

    def __init__(self, playwright: Callable[[], Any], trace: bool) -> None:
        self._playwright = playwright
        self._trace = trace
        self._browsers: dict[str, Any] = {}
        self._unavailable: dict[str, str | None] = {}
        self._display: VirtualDisplay | None = None
        self._display_device: str | None = None
        self.versions: dict[str, str] = {}

    def unavailable(self, engine: str) -> str | None:
        """Why ``engine`` cannot be driven here, or None when it can (checked once)."""
        if engine not in self._unavailable:
            self._unavailable[engine] = self._check(engine)
        return self._unavailable[engine]

    def _check(self, engine: str) -> str | None:
        if engine == "webkit":
            return self._check_webkit()
        try:
            browser = self._browser(engine)
            browser.new_context().close()  # Firefox fails here when Playwright and Firefox disagree
        except Exception as exc:
            first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            return f"Playwright {_version('playwright')} cannot drive {engine}: {first_line}"
        return None

    def _check_webkit(self) -> str | None:
        missing = [path for path in (WEBDRIVER, MINIBROWSER) if not Path(path).exists()]
        missing += missing_programs()
        if missing:
            debian = "webkit2gtk-driver, xvfb, matchbox-window-manager"
            return f"not installed: {', '.join(missing)} (Debian: {debian})"
        if _version("selenium") == "none":
            return "the selenium package is not installed"
        return None

    def _browser(self, engine: str, sharp_frames: bool = False) -> Any:
        key = "chromium-sharp" if engine == "chromium" and sharp_frames else engine
        if key not in self._browsers:
            playwright = self._playwright()
            if engine == "chromium":
                if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
                    raise RuntimeError(f"{CHROMIUM} is not installed")
                disabled = PLAYWRIGHT_DISABLED_FEATURES + (SHARP_FRAME_FEATURES if sharp_frames else [])
                args = [*CHROMIUM_ARGS, "--disable-features=" + ",".join(disabled)]
                args += SHARP_FRAME_ARGS if sharp_frames else []
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=args)
            elif engine == "firefox":
                if not Path(FIREFOX).exists():
                    raise RuntimeError(f"{FIREFOX} is not installed (Debian: firefox-esr)")
                browser = playwright.firefox.launch(
                    channel="moz-firefox", executable_path=FIREFOX, firefox_user_prefs=FIREFOX_PREFS
                )
            else:
                raise ValueError(f"not a Playwright engine: {engine}")
            self._browsers[key] = browser
            self.versions[engine] = f"{engine} {browser.version} (Playwright {_version('playwright')})"
        return self._browsers[key]

    def open_tab(self, engine: str, device: Device, sharp_frames: bool = False) -> BrowserTab:
        """A fresh tab (empty storage) of ``engine`` at ``device``; ``sharp_frames``: for the
        visual shots, frames rasterised at the device's scale (Chromium: site isolation off)."""
        if engine != "webkit":
            return PlaywrightTab(self._browser(engine, sharp_frames), engine, device, self._trace)
        scale = int(device.scale_in(engine))
        if self._display_device != device.name:
            self._stop_display()
            self._display = VirtualDisplay(device.width, device.height, scale).start()
            self._display_device = device.name
        assert self._display is not None
        tab = WebKitTab(device, self._display.display, scale)
        if "webkit" not in self.versions:
            self.versions["webkit"] = (
                f"WebKitGTK {tab.browser_version} (Selenium {_version('selenium')}, WebKitWebDriver)"
            )
        return tab

    def _stop_display(self) -> None:
        if self._display is not None:
            self._display.stop()
        self._display = None
        self._display_device = None

    def close(self) -> None:
        for browser in self._browsers.values():
            browser.close()
        self._browsers.clear()
        self._stop_display()


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "none"
