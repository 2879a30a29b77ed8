import ko from 'knockout';

const DEFAULT_CTA = 'Learn more';

/**
 * View model behind #onsite-root in templates/frame.html. Starts, and returns
 * to, the hidden state whenever there is nothing to show.
 *
 * `html` is server-sanitised markup for Knockout's html binding; `text` is its
 * plain-text twin, used for the title and the button's accessible name.
 */
export function createBadgeViewModel() {
  const kind = ko.observable('empty');
  const html = ko.observable('');
  const text = ko.observable('');
  const cta = ko.observable(DEFAULT_CTA);
  const theme = ko.observable('default');

  return {
    kind,
    html,
    text,
    theme,
    ctaText: cta,
    isHidden: ko.pureComputed(() => kind() === 'empty'),
    // Starts with the visible label, so speech input ("click Learn more") works.
    ctaLabel: ko.pureComputed(() => (text() ? cta() + ': ' + text() : cta())),

    /**
     * @param {object|null} result a render result, or null to hide
     * @param {string|null} [contextTheme] used when the result names no theme
     */
    show(result, contextTheme) {
      const visible = Boolean(result) && result.kind !== 'empty';
      kind(visible ? result.kind : 'empty');
      html(visible ? result.html : '');
      text(visible ? result.text : '');
      cta(visible && typeof result.cta === 'string' && result.cta ? result.cta : DEFAULT_CTA);
      theme(pickTheme(visible && result.theme) || pickTheme(contextTheme) || 'default');
    },
  };
}

function pickTheme(value) {
  return typeof value === 'string' && /^[a-z0-9-]{1,32}$/.test(value) ? value : null;
}
