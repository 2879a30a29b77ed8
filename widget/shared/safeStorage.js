/**
 * Returns `win[name]` (localStorage or sessionStorage), or null when merely
 * touching it throws, as it does when storage is blocked for the origin.
 *
 * @param {Window} win
 * @param {'localStorage'|'sessionStorage'} name
 * @returns {Storage|null}
 */
export function safeStorage(win, name) {
  try {
    return win[name] || null;
  } catch {
    return null;
  }
}
