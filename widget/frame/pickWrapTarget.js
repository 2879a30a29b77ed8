/**
 * Where Tab should go inside a focus trap. `items` are the trap's focusable
 * elements in tab order; `current` has focus. Returns the element to focus
 * instead of the browser's default, or null to let the browser move on:
 * wrapping from last to first (or first to last with Shift), entering the
 * list when focus is elsewhere (e.g. on the dialog itself), and staying on
 * `fallback` when there is nothing focusable.
 *
 * @template T
 * @param {T[]} items
 * @param {T|null} current
 * @param {boolean} backwards Shift+Tab
 * @param {T} fallback
 * @returns {T|null}
 */
export function pickWrapTarget(items, current, backwards, fallback) {
  if (items.length === 0) return fallback;
  const index = items.indexOf(current);
  const first = items[0];
  const last = items[items.length - 1];
  if (index === -1) return backwards ? last : first;
  if (backwards && index === 0) return last;
  if (!backwards && index === items.length - 1) return first;
  return null;
}
