import { pickTheme } from './pickTheme.js';

const DEFAULT_CTA = 'Learn more';

/**
 * What a placement shows for a render result: the one description of the
 * badge's fields, read by the Knockout view model (createBadgeViewModel) and
 * by the shell's first paint (paintBadge), so both put the same values in the
 * same places.
 *
 * `kind` is "badge" or "strip" for a result to show, else "empty" (all text
 * empty). `html` and `compactHtml` are the server-sanitised markup; `text` its
 * plain twin (the title and the button's accessible name); `cta` the call to
 * action's label; `theme` the result's theme, else the context's, else
 * "default".
 *
 * @param {object|null} result a render result, or null
 * @param {string|null} [contextTheme] used when the result names no theme
 * @returns {{kind: string, html: string, compactHtml: string, text: string, cta: string, theme: string}}
 */
export function badgeFields(result, contextTheme) {
  const visible = Boolean(result) && (result.kind === 'badge' || result.kind === 'strip');
  return {
    kind: visible ? result.kind : 'empty',
    html: visible ? result.html : '',
    compactHtml: visible && typeof result.compact_html === 'string' ? result.compact_html : '',
    text: visible ? result.text : '',
    cta: visible && typeof result.cta === 'string' && result.cta ? result.cta : DEFAULT_CTA,
    theme: pickTheme(visible && result.theme) || pickTheme(contextTheme) || 'default',
  };
}

/**
 * The call to action's accessible name: it starts with the visible label, so
 * speech input ("click Learn more") works, then says what the message is.
 *
 * @param {string} cta
 * @param {string} text
 * @returns {string}
 */
export function ctaLabelOf(cta, text) {
  return text ? cta + ': ' + text : cta;
}
