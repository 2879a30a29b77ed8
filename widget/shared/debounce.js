/**
 * Calls `fn` once, `waitMs` after the last of a burst of calls, with that
 * last call's arguments. `cancel()` drops a pending call.
 *
 * @template {(...args: any[]) => void} F
 * @param {F} fn
 * @param {number} waitMs
 * @returns {F & {cancel(): void}}
 */
export function debounce(fn, waitMs) {
  let timer;
  function debounced(...args) {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), waitMs);
  }
  debounced.cancel = () => clearTimeout(timer);
  return debounced;
}
