import ko from 'knockout';
import { badgeFields, ctaLabelOf } from './badgeFields.js';

/**
 * View model behind #onsite-root in templates/frame.html. Starts, and returns
 * to, the hidden state whenever there is nothing to show. Its fields are
 * badgeFields' (which the shell's first paint writes too, see paintBadge).
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
  const cta = ko.observable(badgeFields(null).cta);
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
    ctaLabel: ko.pureComputed(() => ctaLabelOf(cta(), text())),

    /**
     * @param {object|null} result a render result, or null to hide
     * @param {string|null} [contextTheme] used when the result names no theme
     */
    show(result, contextTheme) {
      const fields = badgeFields(result, contextTheme);
      kind(fields.kind);
      html(fields.html);
      compactHtml(fields.compactHtml);
      text(fields.text);
      cta(fields.cta);
      theme(fields.theme);
    },
  };
}
