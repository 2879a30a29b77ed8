import { guard } from '../shared/guard.js';
import { countLines } from './countLines.js';

/** More lines than this and the full message gives way to the compact one. */
const MAX_LINES = 2;

/**
 * Watches the full message (`element`, laid out at the frame's width even
 * while hidden) and reports, through `onChange`, whether it needs more than
 * MAX_LINES lines at the current width: then the container is too narrow and
 * the compact variant is shown instead of a tall or clipped badge. The answer
 * depends only on the width and the copy, so switching cannot oscillate.
 *
 * @param {{element: HTMLElement, win: Window, onChange: (tooNarrow: boolean) => void}} options
 * @returns {{check(): void}}
 */
export function createCompactSwitch({ element, win, onChange }) {
  const check = guard(() => {
    const style = win.getComputedStyle(element);
    const padding = parseFloat(style.paddingTop) + parseFloat(style.paddingBottom);
    const lines = countLines({
      height: element.clientHeight - padding,
      lineHeight: parseFloat(style.lineHeight),
      rowGap: parseFloat(style.rowGap) || 0,
    });
    onChange(lines > MAX_LINES);
  });
  if (typeof win.ResizeObserver === 'function') new win.ResizeObserver(check).observe(element);
  return { check };
}
