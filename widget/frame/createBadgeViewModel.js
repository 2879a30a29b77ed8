import ko from 'knockout';
import { pickTheme } from './pickTheme.js';

const DEFAULT_CTA = 'Learn more';

/**
 * View model behind #onsite-root in templates/frame.html. Starts, and returns
 * to, the hidden state whenever there is nothing to show.
 *
 * `html` and `compactHtml` are server-sanitised markup for Knockout's html
 * binding; `text` is the plain-text twin, used for the title and the button's
 * accessible name. The compact variant is shown when the result has one and
 * `tooNarrow` (set by the compact switch) is true.
 *
 * @param {{open: () => void}} actions `open` runs when the call to action is clicked
 */
export function createBadgeViewModel({ open }) {
  const kind = ko.observable('empty');
  const html = ko.observable('');
  const compactHtml = ko.observable('');
  const text = ko.observable('');
  const cta = ko.observable(DEFAULT_CTA);
  const theme = ko.observable('default');
  const tooNarrow = ko.observable(false);

  return {
    kind,
    html,
    compactHtml,
    text,
    theme,
    tooNarrow,
    ctaText: cta,
    open: () => {
      open();
    },
    isHidden: ko.pureComputed(() => kind() === 'empty'),
    isCompact: ko.pureComputed(() => tooNarrow() && compactHtml() !== ''),
    // Starts with the visible label, so speech input ("click Learn more") works.
    ctaLabel: ko.pureComputed(() => (text() ? cta() + ': ' + text() : cta())),

    /**
     * @param {object|null} result a render result, or null to hide
     * @param {string|null} [contextTheme] used when the result names no theme
     */
    show(result, contextTheme) {
      const visible = Boolean(result) && (result.kind === 'badge' || result.kind === 'strip');
      kind(visible ? result.kind : 'empty');
      html(visible ? result.html : '');
      compactHtml(visible && typeof result.compact_html === 'string' ? result.compact_html : '');
      text(visible ? result.text : '');
      cta(visible && typeof result.cta === 'string' && result.cta ? result.cta : DEFAULT_CTA);
      theme(pickTheme(visible && result.theme) || pickTheme(contextTheme) || 'default');
    },
  };
}
