"""WebKit through WebDriver, behind the BrowserTab interface.

Playwright cannot drive Debian's WebKitGTK (it needs its own patched WebKit build, which
cannot be downloaded here), so this runner uses Selenium with Debian's WebKitWebDriver
and the MiniBrowser in ``--automation`` mode, on a :class:`VirtualDisplay` sized to the
device (viewport and scale) and with the device's user agent. Each tab is a new
MiniBrowser (about a second), so every test starts with empty storage, as a new
Playwright context does.

WebDriver has no request interception and no console events: faults are injected by the
QA server and errors are recorded by the page itself (``pages/qa.js``), in every engine.
"""

from __future__ import annotations

import io
import os
import time
from pathlib import Path
from typing import Any

from PIL import Image

from e2e.qa.matrix import Device

MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser"
WEBDRIVER = "/usr/bin/WebKitWebDriver"
SCRIPT_TIMEOUT_S = 20
PAGE_LOAD_TIMEOUT_S = 30
CLICK_TIMEOUT_S = 5
# execute_async_script runs a function body; this one awaits the test's function expression.
ASYNC_WRAPPER = """
const done = arguments[arguments.length - 1];
const run = (__SCRIPT__);
Promise.resolve().then(() => run(arguments[0])).then(
  (value) => done({ ok: value === undefined ? null : value }),
  (error) => done({ error: String((error && error.stack) || error) }),
);
"""


IFRAME_CONTENT_ORIGIN = """
const iframe = document.querySelector(arguments[0]);
iframe.scrollIntoView({block: 'nearest'});
const r = iframe.getBoundingClientRect();
return [r.left + iframe.clientLeft, r.top + iframe.clientTop];
"""
ELEMENT_RECT = """
const r = document.querySelector(arguments[0]).getBoundingClientRect();
return [r.left, r.top, r.width, r.height];
"""
# Playwright's actionability, for WebDriver: the element is laid out, not covered at its
# centre, and its box is where it was 100 ms ago (not sliding in).
CLICKABLE = """
const el = document.querySelector(arguments[0]);
if (!el) return null;
const r = el.getBoundingClientRect();
if (r.width === 0 || r.height === 0) return null;
const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
if (!hit || !(hit === el || el.contains(hit) || hit.contains(el))) return null;
return [r.left, r.top, r.width, r.height];
"""


class ScriptError(RuntimeError):
    """A script run through WebDriver threw or rejected."""


class WebDriverScope:
    """A document of the WebDriver session: the top page, or an iframe found by selector."""

    def __init__(self, driver: Any, iframe_selector: str | None, description: str) -> None:
        self._driver = driver
        self._iframe_selector = iframe_selector
        self.description = description

    def _enter(self) -> None:
        from selenium.common.exceptions import NoSuchElementException
        from selenium.webdriver.common.by import By

        self._driver.switch_to.default_content()
        if self._iframe_selector is not None:
            try:
                element = self._driver.find_element(By.CSS_SELECTOR, self._iframe_selector)
            except NoSuchElementException as exc:
                raise LookupError(f"no frame for {self._iframe_selector}") from exc
            self._driver.switch_to.frame(element)

    def _element(self, selector: str) -> Any:
        from selenium.webdriver.common.by import By

        self._enter()
        return self._driver.find_element(By.CSS_SELECTOR, selector)

    def evaluate(self, script: str, arg: Any = None) -> Any:
        self._enter()
        result = self._driver.execute_async_script(ASYNC_WRAPPER.replace("__SCRIPT__", script), arg)
        if not isinstance(result, dict) or "error" in result:
            raise ScriptError(f"{self.description}: {result}")
        return result["ok"]

    def click(self, selector: str) -> None:
        # WebDriver clicks at once, wherever the element is at that instant; Playwright
        # waits for actionability. Waiting the same way keeps one interface (seen in WebKit
        # on the iPhone: a click on the second plan that did not take, and one refused as
        # "not interactable", just after the sheet had slid in).
        from selenium.common.exceptions import ElementNotInteractableException

        deadline = time.monotonic() + CLICK_TIMEOUT_S
        previous = None
        while True:
            self._enter()
            rect = self._driver.execute_script(CLICKABLE, selector)
            if rect is not None and rect == previous:
                try:
                    self._element(selector).click()
                    return
                except ElementNotInteractableException:
                    rect = None
            if time.monotonic() > deadline:
                raise ElementNotInteractableException(
                    f"{self.description}: {selector} not clickable (laid out, uncovered, still) "
                    f"within {CLICK_TIMEOUT_S}s; last box {rect}"
                )
            previous = rect
            time.sleep(0.1)

    def screenshot(self, selector: str) -> bytes:
        """The viewport's screenshot cut to the element: WebKitWebDriver's element screenshot
        of anything inside a placement frame comes out black."""
        rect = self._viewport_rect(selector)
        self._driver.switch_to.default_content()
        image = Image.open(io.BytesIO(self._driver.get_screenshot_as_png()))
        scale = image.width / self._driver.execute_script("return innerWidth")
        box = tuple(round(v * scale) for v in (rect[0], rect[1], rect[0] + rect[2], rect[1] + rect[3]))
        out = io.BytesIO()
        image.crop(box).save(out, format="PNG")
        return out.getvalue()

    def _viewport_rect(self, selector: str) -> list[float]:
        """[x, y, width, height] of the element in the top viewport (its iframe scrolled into view)."""
        offset = [0.0, 0.0]
        if self._iframe_selector is not None:
            self._driver.switch_to.default_content()
            offset = self._driver.execute_script(IFRAME_CONTENT_ORIGIN, self._iframe_selector)
        self._enter()
        x, y, width, height = self._driver.execute_script(ELEMENT_RECT, selector)
        return [x + offset[0], y + offset[1], width, height]


class WebKitTab:
    """A new MiniBrowser on ``display`` (an X display sized to ``device``)."""

    def __init__(self, device: Device, display: str, scale: int) -> None:
        from selenium import webdriver
        from selenium.webdriver.webkitgtk.options import Options
        from selenium.webdriver.webkitgtk.service import Service

        self.engine = "webkit"
        self.device = device
        self.problems: list[str] = []  # WebDriver reports no console: see pages/qa.js
        options = Options()
        options.binary_location = MINIBROWSER
        options.add_argument("--automation")
        options.add_argument("--full-screen")
        if device.user_agent:
            options.add_argument(f"--user-agent={device.user_agent}")
        service = Service(
            executable_path=WEBDRIVER, env={**os.environ, "DISPLAY": display, "GDK_SCALE": str(scale)}
        )
        self._driver = webdriver.WebKitGTK(options=options, service=service)
        self._driver.set_script_timeout(SCRIPT_TIMEOUT_S)
        self._driver.set_page_load_timeout(PAGE_LOAD_TIMEOUT_S)
        self.page = WebDriverScope(self._driver, None, f"webkit/{device.name} page")
        self.browser_version = str(self._driver.capabilities.get("browserVersion", "?"))
        self._check_viewport(scale)

    def _check_viewport(self, scale: int) -> None:
        """The window must be full screen on the device-sized display, or nothing is comparable."""
        expected = [self.device.width, self.device.height, scale]
        self._driver.get("about:blank")
        if self.viewport() != expected:
            self._driver.fullscreen_window()
        if self.viewport() != expected:
            actual = self.viewport()
            self.close()
            raise RuntimeError(
                f"WebKit viewport is {actual}, expected {expected} (is the window manager running?)"
            )

    def viewport(self) -> list[float]:
        """[innerWidth, innerHeight, devicePixelRatio] of the current page."""
        value: list[float] = self.page.evaluate("() => [innerWidth, innerHeight, devicePixelRatio]")
        return value

    def goto(self, url: str) -> None:
        self._driver.get(url)

    def frame(self, iframe_selector: str) -> WebDriverScope:
        return WebDriverScope(self._driver, iframe_selector, f"webkit/{self.device.name} {iframe_selector}")

    def press(self, key: str) -> None:
        from selenium.webdriver.common.action_chains import ActionChains
        from selenium.webdriver.common.keys import Keys

        names = {
            "Tab": Keys.TAB,
            "Enter": Keys.ENTER,
            "Escape": Keys.ESCAPE,
            "ArrowDown": Keys.ARROW_DOWN,
            "ArrowUp": Keys.ARROW_UP,
            "Space": Keys.SPACE,
        }
        self._driver.switch_to.default_content()
        chain = ActionChains(self._driver)
        if key.startswith("Shift+"):
            chain.key_down(Keys.SHIFT).send_keys(names[key.removeprefix("Shift+")]).key_up(Keys.SHIFT)
        else:
            chain.send_keys(names[key])
        chain.perform()

    def park_pointer(self) -> None:
        from selenium.webdriver.common.actions.action_builder import ActionBuilder

        self._driver.switch_to.default_content()
        builder = ActionBuilder(self._driver)
        builder.pointer_action.move_to_location(self.device.width - 1, self.device.height - 1)
        builder.perform()

    def save_artifacts(self, directory: Path, failed: bool) -> list[Path]:
        if not failed:
            return []
        directory.mkdir(parents=True, exist_ok=True)
        self._driver.switch_to.default_content()
        shot = directory / "viewport.png"
        self._driver.get_screenshot_as_file(str(shot))
        source = directory / "page.html"
        source.write_text(self._driver.page_source, encoding="utf-8")
        return [shot, source]

    def close(self) -> None:
        try:
            self._driver.quit()
        finally:
            self._driver.service.stop()
