import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPlacementContext } from '../frame/isPlacementContext.js';

const context = {
  client_id: 'demo', placement_key: 'credit-badge', locale: 'en-GB', purchase_amount: 9900,
  currency: null, session_id: 'a'.repeat(32), theme: null,
};

describe('isPlacementContext', () => {
  it('accepts a full context, with string or null currency and theme', () => {
    assert.equal(isPlacementContext(context), true);
    assert.equal(isPlacementContext({ ...context, currency: 'GBP', theme: 'dark' }), true);
  });

  it('accepts the optional fields the loader adds', () => {
    const full = { ...context, page_url: 'https://shop.example/p', consent: true, customer_token: 'h.p.s', theme_vars: { '--onsite-fg': '#000' } };
    assert.equal(isPlacementContext(full), true);
    assert.equal(isPlacementContext({ ...context, consent: null, customer_token: null, theme_vars: null }), true);
    for (const change of [{ page_url: 3 }, { consent: 'yes' }, { customer_token: '' }, { theme_vars: ['#000'] }, { theme_vars: { a: 1 } }]) {
      assert.equal(isPlacementContext({ ...context, ...change }), false, JSON.stringify(change));
    }
  });

  it('rejects anything else', () => {
    for (const change of [{ purchase_amount: -1 }, { purchase_amount: 1.5 }, { purchase_amount: '9900' }, { client_id: '' },
      { placement_key: undefined }, { locale: 5 }, { session_id: null }, { currency: 3 }, { theme: undefined }]) {
      assert.equal(isPlacementContext({ ...context, ...change }), false, JSON.stringify(change));
    }
    assert.equal(isPlacementContext(null), false);
    assert.equal(isPlacementContext('context'), false);
  });
});
