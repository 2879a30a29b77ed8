import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readPlacement } from '../loader/readPlacement.js';

const element = (attributes) => ({ getAttribute: (name) => (name in attributes ? attributes[name] : null) });

describe('readPlacement', () => {
  it('reads the placement attributes', () => {
    const placement = readPlacement(element({
      'data-key': 'credit-badge',
      'data-purchase-amount': '9900',
      'data-locale': 'en-GB',
      'data-currency': 'GBP',
      'data-theme': 'dark',
      'data-page-type': 'cart',
      'data-country': 'GB',
    }));
    assert.deepEqual(placement, {
      placement_key: 'credit-badge', locale: 'en-GB', purchase_amount: 9900, currency: 'GBP', theme: 'dark', page_type: 'cart', country: 'GB',
    });
  });

  it('uses null for missing currency and theme, and falls back for the locale', () => {
    const attributes = { 'data-key': 'k', 'data-purchase-amount': '0' };
    assert.deepEqual(readPlacement(element(attributes), { documentLang: 'de-DE', navigatorLanguage: 'fr' }), {
      placement_key: 'k', locale: 'de-DE', purchase_amount: 0, currency: null, theme: null, page_type: null, country: null,
    });
    assert.equal(readPlacement(element(attributes), { navigatorLanguage: 'fr' }).locale, 'fr');
    assert.equal(readPlacement(element(attributes)).locale, 'en');
  });

  it('skips placements without a key or with an invalid amount', () => {
    assert.equal(readPlacement(element({ 'data-purchase-amount': '9900' })), null);
    assert.equal(readPlacement(element({ 'data-key': ' ', 'data-purchase-amount': '9900' })), null);
    assert.equal(readPlacement(element({ 'data-key': 'k', 'data-purchase-amount': '99.00' })), null);
    assert.equal(readPlacement(element({ 'data-key': 'k' })), null);
  });
});
