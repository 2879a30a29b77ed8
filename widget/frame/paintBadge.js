import { applyBrand } from './applyBrand.js';
import { badgeFields, ctaLabelOf } from './badgeFields.js';
import { createBadgeLayout } from './createBadgeLayout.js';

/**
 * Paints a render result into the placement shell's markup (templates/frame.html)
 * without Knockout: the shell's first paint, before the frame bundle has run.
 *
 * It writes what the shell's bindings would write for the same result and
 * theme (badgeFields, ctaLabelOf; the same attributes, classes and markup, so
 * that Knockout, binding later to a view model showing the same result, leaves
 * the page as it is: e2e/test_first_paint.py compares the two), applies the
 * brand and the page's theme variables, lays the badges out (createBadgeLayout)
 * and shows the compact variant when the full message does not fit. Returns
 * the root's height in whole px, or null, touching nothing, for a result that
 * shows nothing (empty, interstitial).
 *
 * @param {{root: HTMLElement, win: Window, result: object, contextTheme: string|null, pageVars: Record<string, string>|null}} options
 * @returns {number|null}
 */
export function paintBadge({ root, win, result, contextTheme, pageVars }) {
  const fields = badgeFields(result, contextTheme);
  if (fields.kind === 'empty') return null;
  const full = root.querySelector('[data-onsite-full]');
  const compact = root.querySelector('[data-onsite-compact]');
  const label = ctaLabelOf(fields.cta, fields.text);
  for (const [variant, html] of [[full, fields.html], [compact, fields.compactHtml]]) {
    variant.querySelector('.onsite__badge').setAttribute('title', fields.text);
    variant.querySelector('.onsite__text').innerHTML = html;
    const button = variant.querySelector('.onsite__cta');
    button.textContent = fields.cta;
    button.setAttribute('aria-label', label);
  }
  root.setAttribute('data-theme', fields.theme);
  root.setAttribute('data-kind', fields.kind);
  root.removeAttribute('hidden');
  applyBrand(root, result, fields.theme, pageVars);

  const fits = createBadgeLayout({ element: full.querySelector('.onsite__badge'), win }).fit();
  const isCompact = !fits && fields.compactHtml !== '';
  // Knockout's attr binding: true -> "true", false -> no attribute.
  if (isCompact) {
    root.setAttribute('data-compact', 'true');
    full.classList.add('onsite__measure');
    full.setAttribute('aria-hidden', 'true');
    compact.removeAttribute('hidden');
  } else {
    compact.setAttribute('hidden', 'true');
  }
  return Math.ceil(root.getBoundingClientRect().height);
}
