import { createElement } from './createElement.js';

export const DEVICE_WIDTHS = { mobile: 375, tablet: 768, desktop: 1024 };

/**
 * The preview's controls: locale (the merchant's markets), amount in major
 * units, device width, theme and variant. Each control has a `data-testid`
 * (`preview-locale`, `preview-amount`, `preview-device`, `preview-theme`,
 * `preview-variant`); `onChange` runs on every `input` of any of them.
 * `setVariants(ids)` lists the draft's variants (the first choice, "as split",
 * lets the A/B split decide); a chosen id stays chosen while it exists.
 * `read().variant` is the chosen variant's index, or null.
 *
 * @param {Document} doc
 * @param {{markets: {locale: string, currency: string}[], marketIndex?: number, amount: string, onChange: () => void}} options
 * @returns {{element: HTMLElement, setVariants(ids: string[]): void, read(): {marketIndex: number, amountText: string, device: string, theme: string, variant: number|null}}}
 */
export function buildPreviewControls(doc, { markets, marketIndex = 0, amount, onChange }) {
  const locale = select(doc, 'preview-locale', markets.map((m, i) => [String(i), m.locale + ' · ' + m.currency]));
  locale.value = String(marketIndex);
  const amountInput = createElement(doc, 'input', { id: 'preview-amount', 'data-testid': 'preview-amount', inputmode: 'decimal', value: amount });
  const device = select(doc, 'preview-device', Object.entries(DEVICE_WIDTHS).map(([name, width]) => [name, name + ' (' + width + ' px)']));
  device.value = 'desktop';
  const theme = select(doc, 'preview-theme', [['light', 'light'], ['dark', 'dark']]);
  const variant = select(doc, 'preview-variant', [['', SPLIT]]);
  let variantIds = [];
  const element = createElement(doc, 'fieldset', { class: 'con-form con-preview-controls' }, [
    createElement(doc, 'legend', {}, ['Preview']),
    createElement(doc, 'div', { class: 'con-row' }, [
      labelled(doc, 'preview-locale', 'Locale', locale),
      labelled(doc, 'preview-amount', 'Amount', amountInput),
    ]),
    createElement(doc, 'div', { class: 'con-row' }, [
      labelled(doc, 'preview-device', 'Device width', device),
      labelled(doc, 'preview-theme', 'Theme', theme),
      labelled(doc, 'preview-variant', 'Variant', variant),
    ]),
  ]);
  element.addEventListener('input', onChange);
  // The preview's controls are not campaign fields: keep their events from the form's listeners.
  element.addEventListener('input', (event) => event.stopPropagation());
  element.addEventListener('change', (event) => event.stopPropagation());
  function setVariants(ids) {
    const kept = variant.value;
    variantIds = ids.slice(0, MAX_VARIANTS);
    variant.replaceChildren(...[['', SPLIT], ...variantIds.map((id) => [id, id])].map(([value, text]) => createElement(doc, 'option', { value }, [text])));
    variant.value = variantIds.includes(kept) ? kept : '';
  }
  return {
    element,
    setVariants,
    read: () => {
      const index = variantIds.indexOf(variant.value);
      return { marketIndex: Number(locale.value) || 0, amountText: amountInput.value, device: device.value, theme: theme.value, variant: index < 0 ? null : index };
    },
  };
}

const SPLIT = 'as the split decides';
const MAX_VARIANTS = 10; // a campaign's limit (bff/decisions/campaign.py)

function select(doc, id, options) {
  return createElement(
    doc,
    'select',
    { id, 'data-testid': id },
    options.map(([value, text]) => createElement(doc, 'option', { value }, [text])),
  );
}

function labelled(doc, id, text, control) {
  return createElement(doc, 'div', { class: 'con-preview-control' }, [createElement(doc, 'label', { for: id }, [text]), control]);
}
