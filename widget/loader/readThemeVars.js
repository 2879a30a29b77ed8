/** The CSS custom properties a "custom" theme may set; see docs/widget.md. */
const NAMES = ['--onsite-fg', '--onsite-bg', '--onsite-border', '--onsite-accent', '--onsite-focus', '--onsite-radius'];

/**
 * For `data-theme="custom"`, the values of the theme's CSS custom properties
 * as computed on the placement element (so the merchant sets them in their
 * own stylesheet); null for other themes. The frame validates each value.
 *
 * @param {Element} element
 * @param {Window} win
 * @returns {Record<string, string>|null}
 */
export function readThemeVars(element, win) {
  if (element.getAttribute('data-theme') !== 'custom') return null;
  const style = win.getComputedStyle(element);
  const vars = {};
  for (const name of NAMES) {
    const value = style.getPropertyValue(name).trim();
    if (value) vars[name] = value;
  }
  return vars;
}
