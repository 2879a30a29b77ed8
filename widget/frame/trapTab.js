import { pickWrapTarget } from './pickWrapTarget.js';

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type="radio"]), input[type="radio"]:checked, select, textarea, [tabindex]:not([tabindex="-1"])';

/**
 * Keeps Tab and Shift+Tab inside `container` (see pickWrapTarget): call it
 * from a keydown listener for Tab. Elements that are not rendered are skipped.
 *
 * @param {KeyboardEvent} event
 * @param {HTMLElement} container
 */
export function trapTab(event, container) {
  const items = [...container.querySelectorAll(FOCUSABLE)].filter((item) => item.getClientRects().length > 0);
  const target = pickWrapTarget(items, container.ownerDocument.activeElement, event.shiftKey, container);
  if (target === null) return;
  event.preventDefault();
  target.focus();
}
