"""The QA matrix as data: engines, devices, locales, and the subset the normal test run takes.

Devices copy Playwright's descriptors (viewport, device pixel ratio, user agent, touch),
so a runner that cannot emulate a device (WebKitGTK through WebDriver) builds the same
viewport, scale and user agent itself. Desktop keeps each engine's own user agent.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Device:
    name: str
    width: int
    height: int
    scale: float
    mobile: bool
    touch: bool
    user_agent: str | None  # None: the engine's own
    # WebKitGTK's scale when it differs from ``scale``: GTK scales by whole numbers only,
    # and below 2 WebKitGTK rounds glyph advances to whole pixels (no subpixel
    # positioning), which Safari never does: Macs and iPhones all have scale 2 or 3.
    webkit_scale: int | None = None

    def scale_in(self, engine: str) -> float:
        """The device pixel ratio ``engine`` runs this device at."""
        if engine == "webkit":
            return self.webkit_scale or max(1, round(self.scale))
        return self.scale

    @property
    def playwright_options(self) -> dict[str, object]:
        """``browser.new_context`` options for this device (``is_mobile`` is Chromium-only)."""
        options: dict[str, object] = {
            "viewport": {"width": self.width, "height": self.height},
            "device_scale_factor": self.scale,
            "has_touch": self.touch,
        }
        if self.user_agent:
            options["user_agent"] = self.user_agent
        return options


@dataclass(frozen=True)
class Locale:
    tag: str
    amount: int  # the demo product's price in this market, minor units
    why: str


IOS_UA = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 15_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/15.0 Mobile/15E148 Safari/604.1"
)
IPAD_UA = (
    "Mozilla/5.0 (iPad; CPU OS 12_2 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/12.1 Mobile/15E148 Safari/604.1"
)
ANDROID_UA = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36"
)

DEVICES: dict[str, Device] = {
    "desktop": Device("desktop", 1280, 800, 1, mobile=False, touch=False, user_agent=None, webkit_scale=2),
    "iphone-13": Device("iphone-13", 390, 664, 3, mobile=True, touch=True, user_agent=IOS_UA),
    "pixel-7": Device(
        "pixel-7", 412, 839, 2.625, mobile=True, touch=True, user_agent=ANDROID_UA, webkit_scale=3
    ),
    "ipad": Device("ipad", 810, 1080, 2, mobile=True, touch=True, user_agent=IPAD_UA),
}

LOCALES: dict[str, Locale] = {
    "en-GB": Locale("en-GB", 9900, "the reference market"),
    "de-DE": Locale("de-DE", 11900, "long compound words, comma decimals, € after the amount"),
    "sv-SE": Locale("sv-SE", 129900, "a different currency format: '324,75 kr', space-grouped thousands"),
}

ENGINES = ("chromium", "firefox", "webkit")

# The normal `pytest` run takes this subset (see docs/qa.md); `bin/qa` runs the full matrix.
SUBSET = {
    "engines": ("chromium", "firefox"),
    "devices": ("desktop", "iphone-13"),  # visual identity
    "behaviour_devices": ("desktop",),  # functional and accessibility suites
    "locales": ("en-GB",),
}
# Functional and accessibility suites vary by engine and device, not by locale.
BEHAVIOUR_LOCALE = "en-GB"
# Cross-engine comparisons are made against this engine's baselines.
REFERENCE_ENGINE = "chromium"
