import { parsePurchaseAmount } from './parsePurchaseAmount.js';

/**
 * Reads the placement part of the context from an `<onsite-placement>`
 * element's data attributes. Returns null when the placement cannot be shown:
 * no data-key, or a data-purchase-amount that is not a non-negative integer.
 *
 * The locale falls back to the page's `<html lang>`, then navigator.language.
 * currency, theme, page_type (data-page-type) and country (data-country) are
 * null when absent, so the server applies its defaults.
 *
 * @param {Element} element
 * @param {{documentLang?: string, navigatorLanguage?: string}} [fallbacks]
 * @returns {{placement_key: string, locale: string, purchase_amount: number, currency: string|null, theme: string|null, page_type: string|null, country: string|null}|null}
 */
export function readPlacement(element, { documentLang = '', navigatorLanguage = '' } = {}) {
  const placementKey = text(element.getAttribute('data-key'));
  const purchaseAmount = parsePurchaseAmount(element.getAttribute('data-purchase-amount'));
  if (!placementKey || purchaseAmount === null) return null;
  return {
    placement_key: placementKey,
    locale: text(element.getAttribute('data-locale')) || text(documentLang) || text(navigatorLanguage) || 'en',
    purchase_amount: purchaseAmount,
    currency: text(element.getAttribute('data-currency')),
    theme: text(element.getAttribute('data-theme')),
    page_type: text(element.getAttribute('data-page-type')),
    country: text(element.getAttribute('data-country')),
  };
}

function text(value) {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}
