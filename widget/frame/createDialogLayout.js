import { guard } from '../shared/guard.js';
import { breakLines } from './breakLines.js';
import { measureRun } from './measureRun.js';

/**
 * Lays out the interstitial's text from the font's known metrics, not from the
 * engine's line breaking, so every engine shows the same words on the same
 * lines in the same boxes (docs/qa.md, "The same words, the same lines"):
 *
 * - `[data-onsite-lines]` (text in a box whose width does not depend on its
 *   text): broken by breakLines at that width and put back as one
 *   `.sheet__line` per line (`white-space: nowrap`). Unknown runs (another
 *   font, script or a word wider than a line) keep the engine's wrapping.
 * - `[data-onsite-fit]` (short labels that take their text's width): that
 *   width from the metrics, rounded up to whole px.
 * - the centred dialog gets a bottom margin of 0 to 2 px so that centring it
 *   lands on a whole pixel (engines snap a half pixel differently).
 *
 * Re-applied whenever Knockout changes the dialog (a MutationObserver: texts,
 * the chosen plan, shown or hidden parts), the viewport resizes or the logo
 * loads (ResizeObservers on boxes this never changes, so no resize loop).
 * Writes only what changed, so its own writes settle at once.
 *
 * @param {{win: Window, root: HTMLElement, dialog: HTMLElement}} options
 * @returns {{update(): void}}
 */
export function createDialogLayout({ win, root, dialog }) {
  const done = new WeakMap();
  const measureIn = (el) => {
    const style = win.getComputedStyle(el);
    return (text) => measureRun({ text, family: style.fontFamily, weight: Number(style.fontWeight), fontSize: parseFloat(style.fontSize) });
  };
  const set = (style, name, value) => {
    if (style[name] !== value) style[name] = value;
  };

  const update = guard(() => {
    if (dialog.hidden) return;
    for (const el of dialog.querySelectorAll('[data-onsite-fit]')) {
      const width = measureIn(el)(el.textContent);
      set(el.style, 'width', width === null ? '' : `${Math.ceil(width)}px`);
    }
    const plans = [];
    for (const el of dialog.querySelectorAll('[data-onsite-lines]')) {
      // The used width (no transform, unlike getBoundingClientRect mid-animation); "auto" when not shown.
      const width = parseFloat(win.getComputedStyle(el).width);
      const text = el.textContent;
      const key = `${width} ${text}`;
      const last = done.get(el);
      if (width > 0 && !(last && last.key === key && last.first === el.firstChild)) {
        plans.push([el, key, text, breakLines(text, width, measureIn(el))]);
      }
    }
    for (const [el, key, text, lines] of plans) {
      if (lines && lines.length) {
        el.replaceChildren(...lines.map((line, i) => {
          const span = win.document.createElement('span');
          span.className = 'sheet__line';
          // The breaking space stays in the text (screen readers, copy); nowrap drops it at the line's end.
          span.textContent = i < lines.length - 1 ? `${line} ` : line;
          return span;
        }));
      } else if (el.childNodes.length !== 1 || el.firstChild.nodeType !== 3) {
        el.textContent = text;
      }
      done.set(el, { key, first: el.firstChild });
    }
    const sheet = win.getComputedStyle(root);
    let margin = '';
    if (sheet.alignItems === 'center') {
      const free = parseFloat(sheet.height) - parseFloat(win.getComputedStyle(dialog).height);
      const odd = Math.round((free - 2 * Math.floor(free / 2)) * 100) / 100;
      if (odd > 0) margin = `${odd}px`;
    }
    set(dialog.style, 'marginBottom', margin);
  });

  new win.MutationObserver(update).observe(dialog, {
    subtree: true,
    childList: true,
    characterData: true,
    attributeFilter: ['hidden', 'style'],
  });
  if (typeof win.ResizeObserver === 'function') {
    const resized = new win.ResizeObserver(update);
    resized.observe(root);
    for (const logo of dialog.querySelectorAll('.sheet__logo')) resized.observe(logo);
  }
  return { update };
}
