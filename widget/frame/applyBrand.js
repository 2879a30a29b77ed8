import { applyThemeVars } from './applyThemeVars.js';

const COLOR_VARS = ['--onsite-fg', '--onsite-bg', '--onsite-accent'];
const LOGO_URL = /^https:\/\/[^\s"'<>\\]{1,2000}$/;

/**
 * The merchant's brand as this frame applies it, from a render result's
 * `brand` member (`{vars, font, logo_url}`, written by the server from the
 * merchant's console settings) and the page's own theme variables (read by
 * the loader from the merchant's CSS), which win: the page is the later word.
 * The brand's colours apply to the light theme only (a dark theme keeps its
 * own readable contrast); its radius and font to every theme.
 *
 * @param {object|null} result the render result shown (null: nothing shown)
 * @param {string} theme the theme the view model settled on
 * @param {Record<string, string>|null|undefined} pageVars
 * @returns {{vars: Record<string, string>, font: string, logoUrl: string}}
 */
export function brandOf(result, theme, pageVars) {
  const brand = result && typeof result.brand === 'object' && result.brand !== null ? result.brand : {};
  const vars = {};
  if (brand.vars && typeof brand.vars === 'object') {
    for (const [name, value] of Object.entries(brand.vars)) {
      if (typeof value === 'string' && !(theme === 'dark' && COLOR_VARS.includes(name))) vars[name] = value;
    }
  }
  if (pageVars && typeof pageVars === 'object') Object.assign(vars, pageVars);
  return {
    vars,
    font: brand.font === 'system' ? 'system' : 'inter',
    logoUrl: typeof brand.logo_url === 'string' && LOGO_URL.test(brand.logo_url) ? brand.logo_url : '',
  };
}

/**
 * Applies `brandOf(...)` to the frame's root: the custom properties (through
 * applyThemeVars, which re-checks names and values) and `data-font`.
 *
 * @param {HTMLElement} root
 * @param {object|null} result
 * @param {string} theme
 * @param {Record<string, string>|null|undefined} pageVars
 * @returns {{vars: Record<string, string>, font: string, logoUrl: string}}
 */
export function applyBrand(root, result, theme, pageVars) {
  const brand = brandOf(result, theme, pageVars);
  applyThemeVars(root, brand.vars);
  if (brand.font === 'system') root.setAttribute('data-font', 'system');
  else root.removeAttribute('data-font');
  return brand;
}
