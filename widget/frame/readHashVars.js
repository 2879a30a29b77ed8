const MAX_CHARS = 2048;

/**
 * Reads the page's theme variables the loader wrote into the frame URL's
 * fragment (`&vars=<encoded JSON object of strings>`, see
 * widget/loader/buildFrameUrl.js), for the shell's first paint. Returns null
 * when absent, too long, not JSON or not an object of strings; applyThemeVars
 * checks each name and value again before it sets one.
 *
 * @param {string} hash location.hash
 * @returns {Record<string, string>|null}
 */
export function readHashVars(hash) {
  if (typeof hash !== 'string' || hash.length > MAX_CHARS) return null;
  let vars;
  try {
    vars = JSON.parse(new URLSearchParams(hash.replace(/^#/, '')).get('vars'));
  } catch {
    return null;
  }
  if (typeof vars !== 'object' || vars === null || Array.isArray(vars)) return null;
  return Object.values(vars).every((value) => typeof value === 'string') ? vars : null;
}
