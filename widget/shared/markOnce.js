/**
 * Adds a performance mark named `name` unless one exists already (the first
 * occurrence is the one benchmarks want). Never throws.
 *
 * @param {Window} win
 * @param {string} name
 */
export function markOnce(win, name) {
  try {
    const performance = win.performance;
    if (performance.getEntriesByName(name, 'mark').length === 0) performance.mark(name);
  } catch {
    // No User Timing: nothing to measure with.
  }
}
