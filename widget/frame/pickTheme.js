/**
 * A theme name usable as `data-theme` (lowercase letters, digits and dashes,
 * at most 32), or null.
 *
 * @param {unknown} value
 * @returns {string|null}
 */
export function pickTheme(value) {
  return typeof value === 'string' && /^[a-z0-9-]{1,32}$/.test(value) ? value : null;
}
