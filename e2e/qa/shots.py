"""Screenshots of the widget at rest, with the layout boxes of its key elements.

A shot is taken only once the widget has settled in the engine: the message is shown and
its iframe has taken the frame's height, the frame's fonts have loaded, no animation is
running, and the pointer is parked away from it. Each shot records what it was taken
with (device pixel ratio, document encoding, the fonts the frame loaded).

Shots: ``strip``, ``badge``, ``compact`` (the badge in a 200 px container), and the
interstitial's dialog ``interstitial-open`` and ``interstitial-plan`` (the second plan
chosen).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from e2e.qa.browser_tab import BrowserTab, Scope, wait_until
from e2e.qa.image_diff import Boxes

PLACEMENTS = {"strip": "#strip", "badge": "#badge", "compact": "#compact"}
# The badge the shopper sees: the full message's, or the compact variant's.
VISIBLE_BADGE = (
    ".onsite:not([data-compact]) [data-onsite-full] .onsite__badge, "
    ".onsite[data-compact] [data-onsite-compact] .onsite__badge"
)
OVERLAY = "iframe[data-onsite-interstitial]"
# The call to action that shows: the full message's, or the compact variant's.
VISIBLE_CTA = (
    ".onsite:not([data-compact]) [data-onsite-full] .onsite__cta, "
    ".onsite[data-compact] [data-onsite-compact] .onsite__cta"
)
PLACEMENT_BOXES = {
    "root": "#onsite-root",
    "badge": ".onsite__badge",
    "text": ".onsite__text",
    "cta": ".onsite__cta",
}
DIALOG_BOXES = {
    "dialog": "[data-onsite-dialog]",
    "title": ".sheet__title",
    "close": ".sheet__close",
    "intro": ".sheet__intro",
    "legend": ".sheet__legend",
    "options": ".sheet__option",
    "radios": ".sheet__radio",
    "option_texts": ".sheet__option-text",
    "plan_title": ".sheet__plan-title",
    "rows": ".sheet__row",
    "totals": ".sheet__totals > div",
    "apr": ".sheet__apr",
    "legal": ".sheet__legal",
}
# Computed styles compared across engines (text pixels are not: see visual_identity).
STYLE_PROPERTIES = (
    "color",
    "backgroundColor",
    "borderTopColor",
    "fontFamily",
    "fontWeight",
    "fontSize",
    "lineHeight",
)
PLACEMENT_STYLES = {"badge": ".onsite__badge", "text": ".onsite__text", "cta": ".onsite__cta"}
DIALOG_STYLES = {
    "dialog": "[data-onsite-dialog]",
    "title": ".sheet__title",
    "intro": ".sheet__intro",
    "option_label": ".sheet__option-label",
    "option_summary": ".sheet__option-summary",
    "selected_option": ".sheet__option:has(:checked)",
    "row": ".sheet__row",
    "apr": ".sheet__apr",
    "legal": ".sheet__legal",
}
# Boxes that hold text runs (see visual_identity: their pixels are compared by layout).
TEXT_BOXES = (
    "text",
    "cta",
    "title",
    "close",
    "intro",
    "legend",
    "option_texts",
    "plan_title",
    "rows",
    "totals",
    "apr",
    "legal",
)

SHOWN = """(sel) => {
  const iframe = document.querySelector(sel + ' iframe');
  return !!iframe && iframe.getAttribute('data-onsite-state') === 'ready'
    && iframe.getBoundingClientRect().height > 0;
}"""
FRAME_SETTLED = """() => {
  const root = document.getElementById('onsite-root');
  if (!root || root.hidden || document.readyState !== 'complete') return false;
  if (document.fonts.status !== 'loaded') return false;
  return document.getAnimations().every((a) => a.playState === 'finished');
}"""
# The copy as the shopper reads it: per element, its lines of text (characters grouped by
# the line box they are drawn in), so the words, the number of lines and the wrapping
# points are compared exactly across engines. ``variant``: which badge shows.
LINES = """(named) => {
  const linesOf = (el) => {
    const lines = [];
    let top = null;
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (let i = 0; i < node.length; i += 1) {
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const rect = range.getClientRects()[0];
        const char = node.data[i];
        if (!rect || rect.width === 0) { if (lines.length) lines[lines.length - 1] += char; continue; }
        if (top === null || rect.top > top + rect.height / 2) { lines.push(''); top = rect.top; }
        lines[lines.length - 1] += char;
      }
    }
    return lines.map((line) => line.replace(/\\s+/g, ' ').trim()).filter(Boolean);
  };
  const root = document.getElementById('onsite-root');
  const out = {};
  if (root && root.matches('.onsite')) {
    out.variant = [[root.hasAttribute('data-compact') ? 'compact' : 'full']];
  }
  for (const [name, selector] of Object.entries(named)) {
    out[name] = [...document.querySelectorAll(selector)].map(linesOf);
  }
  return out;
}"""
PLACEMENT_COPY = {"badge": VISIBLE_BADGE}
# The dialog's boxes that hold copy (not the dialog, its close button, options or radios).
DIALOG_COPY = {
    name: DIALOG_BOXES[name]
    for name in ("title", "intro", "legend", "option_texts", "plan_title", "rows", "totals", "apr", "legal")
}
IFRAME_HEIGHT = "(sel) => Math.round(document.querySelector(sel + ' iframe').getBoundingClientRect().height)"
CONTENT_HEIGHT = "() => Math.ceil(document.getElementById('onsite-root').getBoundingClientRect().height)"
BOXES = """(named) => {
  const out = {};
  for (const [name, selector] of Object.entries(named)) {
    out[name] = [...document.querySelectorAll(selector)].map((el) => {
      // What the shopper cannot see has no box: the full message laid out, invisible,
      // behind the compact one is the frame's, not the shopper's.
      if (getComputedStyle(el).visibility !== 'visible') return [0, 0, 0, 0];
      const r = el.getBoundingClientRect();
      return [r.x, r.y, r.width, r.height].map((v) => Math.round(v * 100) / 100);
    });
  }
  return out;
}"""
STYLES = """([named, properties]) => {
  const out = {};
  for (const [name, selector] of Object.entries(named)) {
    const el = document.querySelector(selector);
    if (!el) { out[name] = null; continue; }
    const style = getComputedStyle(el);
    out[name] = Object.fromEntries(properties.map((p) => [p, p === 'fontFamily'
      ? style.fontFamily.split(',')[0].replace(/["']/g, '').trim() : style[p]]));
  }
  return out;
}"""
STYLES_AND_BOXES = (
    f"""([boxes, styles]) => [({BOXES})(boxes), ({STYLES})([styles, {list(STYLE_PROPERTIES)!r}])]"""
)
FRAME_FACTS = """() => ({
  charset: document.characterSet,
  fonts: [...document.fonts].filter((f) => f.status === 'loaded').map((f) => f.family.replace(/"/g, '')),
  font_family: getComputedStyle(document.body.firstElementChild || document.body).fontFamily,
})"""
PAGE_FACTS = (
    "() => ({charset: document.characterSet, dpr: devicePixelRatio, viewport: [innerWidth, innerHeight]})"
)
# The dialog where the shopper sees it come to rest: shown, fonts loaded, no animation
# running or pending, and at its final position (no transform left from the slide or pop
# animation, fully opaque, wholly inside the viewport). A computed transform shows an
# animation's effect from the moment its style applies, so a shot cannot catch the sheet
# mid-slide even when the engine has not started the animation yet (seen in WebKit: a
# shot of the iPhone's sheet 74.9 px low).
DIALOG_READY = """() => {
  const dialog = document.querySelector('[data-onsite-dialog]');
  if (!dialog || dialog.hidden || document.fonts.status !== 'loaded') return false;
  if (!document.getAnimations().every((a) => a.playState === 'finished')) return false;
  for (let el = dialog; el && el.nodeType === 1; el = el.parentElement) {
    const style = getComputedStyle(el);
    if (style.transform !== 'none' || style.opacity !== '1') return false;
  }
  const r = dialog.getBoundingClientRect();
  return r.top >= -0.5 && r.left >= -0.5 && r.bottom <= innerHeight + 0.5 && r.right <= innerWidth + 0.5;
}"""
OVERLAY_SHOWN = (
    "(sel) => { const o = document.querySelector(sel); return !!o && o.style.visibility === 'visible'; }"
)
CHECKED_INDEX = (
    "() => [...document.querySelectorAll('[data-testid=onsite-option]')].findIndex((r) => r.checked)"
)
# Resolves once the document has painted twice more: a screenshot then shows what the DOM
# says (seen in WebKit on the iPhone: a shot of the sheet after the second plan's click
# showed the first plan still selected, though the radio was checked and boxes were still).
PAINTED = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done(true))))"
OPTION_COUNT = "() => document.querySelectorAll('.sheet__option').length"


@dataclass
class Shot:
    """A PNG of one element (``origin``: its top-left corner, in the same CSS pixels as
    ``boxes``), with the boxes of the widget's key elements and the facts it was taken with."""

    name: str
    png: bytes
    css_size: tuple[float, float]
    origin: tuple[float, float]
    boxes: Boxes
    styles: dict[str, Any]
    facts: dict[str, Any] = field(default_factory=dict)
    # element name -> per matching element, its lines of text (see LINES)
    lines: dict[str, list[list[str]]] = field(default_factory=dict)

    def metadata(self) -> dict[str, Any]:
        return {
            "css_size": list(self.css_size),
            "origin": list(self.origin),
            "boxes": self.boxes,
            "styles": self.styles,
            "facts": self.facts,
            "lines": self.lines,
        }


def wait_stable(scope: Scope, script: str, arg: Any = None, samples: int = 3) -> Any:
    """Wait until ``script`` returns the same value ``samples`` times in a row, 100 ms apart:
    an animation that has not started yet is not in ``getAnimations()``, a moving box is seen."""
    seen: list[Any] = []
    for _ in range(150):
        seen = [*seen[-(samples - 1) :], scope.evaluate(script, arg)]
        if len(seen) == samples and all(value == seen[0] for value in seen):
            return seen[0]
        time.sleep(0.1)
    raise AssertionError(f"{scope.description}: never settled: {script} went {seen}")


def wait_for_placement(tab: BrowserTab, selector: str) -> Scope:
    """The placement's frame, once its message shows at its final height."""
    wait_until(tab.page, SHOWN, selector)
    frame = tab.frame(f"{selector} iframe")
    wait_until(frame, FRAME_SETTLED)
    wait_stable(frame, STYLES_AND_BOXES, [PLACEMENT_BOXES, PLACEMENT_STYLES])
    # The iframe takes the frame's content height (it may change once more as fonts apply).
    wait_until(
        tab.page,
        f"([sel, h]) => ({IFRAME_HEIGHT})(sel) === h",
        [selector, frame.evaluate(CONTENT_HEIGHT)],
    )
    return frame


def placement_shot(tab: BrowserTab, name: str) -> Shot:
    selector = PLACEMENTS[name]
    frame = wait_for_placement(tab, selector)
    tab.park_pointer()
    boxes, styles = frame.evaluate(STYLES_AND_BOXES, [PLACEMENT_BOXES, PLACEMENT_STYLES])
    boxes.update(tab.page.evaluate(BOXES, {"iframe": f"{selector} iframe"}))
    x, y, width, height = boxes["root"][0]
    # From inside the frame: WebKitWebDriver draws a cross-origin iframe black in an
    # element screenshot taken from the page. The frame is exactly as tall as its root.
    frame.evaluate(PAINTED)
    png = frame.screenshot("#onsite-root")
    facts = {**tab.page.evaluate(PAGE_FACTS), "frame": frame.evaluate(FRAME_FACTS)}
    lines = frame.evaluate(LINES, PLACEMENT_COPY)
    return Shot(name, png, (width, height), (x, y), boxes, styles, facts, lines)


def open_interstitial(tab: BrowserTab, selector: str = "#badge") -> Scope:
    """Click the placement's call to action; the interstitial's frame once its dialog shows."""
    frame = wait_for_placement(tab, selector)
    frame.click(VISIBLE_CTA)
    wait_until(tab.page, OVERLAY_SHOWN, OVERLAY)
    overlay = tab.frame(OVERLAY)
    wait_until(overlay, DIALOG_READY)
    wait_stable(overlay, STYLES_AND_BOXES, [DIALOG_BOXES, DIALOG_STYLES])
    return overlay


def dialog_shot(tab: BrowserTab, overlay: Scope, name: str) -> Shot:
    tab.park_pointer()
    wait_until(overlay, DIALOG_READY)
    wait_stable(overlay, STYLES_AND_BOXES, [DIALOG_BOXES, DIALOG_STYLES])
    boxes, styles = overlay.evaluate(STYLES_AND_BOXES, [DIALOG_BOXES, DIALOG_STYLES])
    x, y, width, height = boxes["dialog"][0]
    overlay.evaluate(PAINTED)
    png = overlay.screenshot("[data-onsite-dialog]")
    facts = {**tab.page.evaluate(PAGE_FACTS), "frame": overlay.evaluate(FRAME_FACTS)}
    lines = overlay.evaluate(LINES, DIALOG_COPY)
    return Shot(name, png, (width, height), (x, y), boxes, styles, facts, lines)


def choose_second_plan(tab: BrowserTab, overlay: Scope) -> None:
    """Click the second plan (a real click on its label) and wait until it is the checked one."""
    if overlay.evaluate(OPTION_COUNT) < 2:
        raise AssertionError("the interstitial offers fewer than two plans: nothing to choose")
    overlay.click(".sheet__option:nth-child(2)")
    wait_until(overlay, f"() => ({CHECKED_INDEX})() === 1")


def all_shots(tab: BrowserTab) -> list[Shot]:
    """Every placement type, then the interstitial open and with a plan chosen."""
    shots = [placement_shot(tab, name) for name in PLACEMENTS]
    overlay = open_interstitial(tab)
    shots.append(dialog_shot(tab, overlay, "interstitial-open"))
    choose_second_plan(tab, overlay)
    shots.append(dialog_shot(tab, overlay, "interstitial-plan"))
    return shots
