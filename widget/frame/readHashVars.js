const MAX_CHARS = 2048;

/**
 * Reads a JSON object the loader wrote into the frame URL's fragment
 * (`&<name>=<encoded JSON>`, see widget/loader/buildFrameUrl.js): `vars`, the
 * page's theme variables, or `render`, the first render's params when the
 * frame is expected to have that render cached. Returns null when absent, when
 * the fragment is too long, or when the value is not JSON or not an object.
 *
 * @param {string} hash location.hash
 * @param {string} name
 * @returns {Record<string, unknown>|null}
 */
export function readHashJson(hash, name) {
  if (typeof hash !== 'string' || hash.length > MAX_CHARS) return null;
  let value;
  try {
    value = JSON.parse(new URLSearchParams(hash.replace(/^#/, '')).get(name));
  } catch {
    return null;
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : null;
}

/**
 * The page's theme variables from the fragment (`vars`): an object of strings,
 * else null. applyThemeVars checks each name and value again before it sets one.
 *
 * @param {string} hash location.hash
 * @returns {Record<string, string>|null}
 */
export function readHashVars(hash) {
  const vars = readHashJson(hash, 'vars');
  return vars && Object.values(vars).every((value) => typeof value === 'string') ? vars : null;
}
