/**
 * Logs with console.debug, and only when this origin's
 * `localStorage['onsite.debug']` is '1'. The widget runs inside other people's
 * pages, so it is silent by default and never uses console.error. Never throws.
 *
 * @param {...unknown} args
 */
export function debugLog(...args) {
  try {
    if (globalThis.localStorage.getItem('onsite.debug') === '1') console.debug('[onsite]', ...args);
  } catch {
    // Storage can be blocked (privacy settings, sandboxing); stay silent then.
  }
}
