import { guard } from '../shared/guard.js';
import { createBadgeLayout } from './createBadgeLayout.js';

/**
 * Keeps the placement's badges laid out (createBadgeLayout) whenever the root
 * resizes (ResizeObserver) and whenever `check()` is called, and tells
 * `onChange(true)` when the full message does not fit: the compact variant
 * shows instead.
 *
 * @param {{element: HTMLElement, win: Window, onChange: (tooNarrow: boolean) => void}} options
 * @returns {{check(): void}}
 */
export function createCompactSwitch({ element, win, onChange }) {
  const layout = createBadgeLayout({ element, win });
  const check = guard(() => onChange(!layout.fit()));
  if (typeof win.ResizeObserver === 'function') new win.ResizeObserver(check).observe(layout.root);
  return { check };
}
