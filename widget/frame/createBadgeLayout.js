import { chooseLines } from './chooseLines.js';
import { measureRun } from './measureRun.js';

/**
 * Lays out the placement's badges from the font's known metrics, not from the
 * engine's line breaking, so every engine shows the same words on the same
 * lines at the same container width (docs/qa.md).
 *
 * `element` is the full message's badge (.onsite__badge, laid out at the
 * frame's width even while hidden); its sibling variant is the compact one
 * ([data-onsite-compact] .onsite__badge). `fit()` sums, for each badge, the
 * message's and the call to action's widths from the font's advances
 * (measureRun; the engine measures only text the table does not cover) and
 * chooseLines decides: one line, the call to action below, or does not fit.
 * The badge then gets `data-lines` ("1" or "2"; none when it does not fit) and
 * its two items those widths, rounded up to whole px, so their boxes are the
 * same in every engine. The root records the width the choice was made for
 * (`data-layout-width`), which tests wait on. `fit()` returns whether the full
 * message fits. Used by the compact switch and by the shell's first paint.
 *
 * @param {{element: HTMLElement, win: Window}} options
 * @returns {{root: HTMLElement, fit(): boolean}}
 */
export function createBadgeLayout({ element, win }) {
  const root = element.closest('.onsite') || element.parentElement;
  const compact = root.querySelector('[data-onsite-compact] .onsite__badge');
  let canvas = null;

  const engineWidth = (text, style) => {
    canvas = canvas || win.document.createElement('canvas').getContext('2d');
    if (!canvas) return 0;
    canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    return canvas.measureText(text).width;
  };

  const widthOf = (item) => {
    let total = 0;
    const walker = win.document.createTreeWalker(item, 4 /* NodeFilter.SHOW_TEXT */);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.nodeValue.replace(/\s+/g, ' ');
      const style = win.getComputedStyle(node.parentElement);
      const known = measureRun({ text, family: style.fontFamily, weight: Number(style.fontWeight), fontSize: parseFloat(style.fontSize) });
      total += known === null ? engineWidth(text, style) : known;
    }
    return Math.ceil(total);
  };

  const layOut = (badge, available) => {
    const text = badge.querySelector('.onsite__text');
    const cta = badge.querySelector('.onsite__cta');
    const style = win.getComputedStyle(badge);
    const inner = available - ['paddingLeft', 'paddingRight', 'borderLeftWidth', 'borderRightWidth']
      .reduce((sum, side) => sum + (parseFloat(style[side]) || 0), 0);
    const sizes = { text: widthOf(text), cta: widthOf(cta) };
    const lines = chooseLines({ available: inner, ...sizes, gap: parseFloat(style.columnGap) || 0 });
    if (lines) badge.setAttribute('data-lines', String(lines));
    else badge.removeAttribute('data-lines');
    // CSSOM, which the frame's CSP allows (style attributes in markup it does not).
    text.style.width = lines ? `${sizes.text}px` : '';
    cta.style.width = lines ? `${sizes.cta}px` : '';
    return lines;
  };

  return {
    root,
    fit() {
      const style = win.getComputedStyle(root);
      const available = root.clientWidth - (parseFloat(style.paddingLeft) || 0) - (parseFloat(style.paddingRight) || 0);
      const fits = layOut(element, available) > 0;
      if (compact) layOut(compact, available);
      root.setAttribute('data-layout-width', String(root.clientWidth));
      return fits;
    },
  };
}
