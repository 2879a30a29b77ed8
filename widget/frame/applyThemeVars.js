/** The custom-theme properties a frame accepts; the loader reads the same list. */
const NAMES = ['--onsite-fg', '--onsite-bg', '--onsite-border', '--onsite-accent', '--onsite-focus', '--onsite-radius'];
/** Colours (hex, rgb(), hsl(), keywords) and simple lengths; nothing that can load or inject. */
const SAFE_VALUE = /^(#[0-9a-f]{3,8}|(rgba?|hsla?)\([\d\s.,%/+-]{1,60}\)|[a-z]{3,20}|\d{1,3}(\.\d{1,3})?(px|rem|em|%)?)$/i;

/**
 * Sets the custom-theme CSS properties of `element` from `vars` (as read by
 * the loader from the merchant's CSS), keeping only known names with safe
 * values, and removes those not given. Goes through CSSOM, which the frame
 * CSP allows (it forbids style attributes in markup, not CSSOM).
 *
 * @param {HTMLElement} element
 * @param {Record<string, string>|null|undefined} vars
 */
export function applyThemeVars(element, vars) {
  for (const name of NAMES) {
    const value = vars && typeof vars[name] === 'string' ? vars[name].trim() : '';
    if (SAFE_VALUE.test(value)) element.style.setProperty(name, value);
    else element.style.removeProperty(name);
  }
}
