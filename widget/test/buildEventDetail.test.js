import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildEventDetail } from '../loader/buildEventDetail.js';

const context = {
  client_id: 'demo', placement_key: 'credit-badge', locale: 'en-GB', purchase_amount: 9900, currency: 'GBP',
  session_id: 'a'.repeat(32), customer_token: 'h.p.s', page_url: 'https://shop.example/p',
};

describe('buildEventDetail', () => {
  it('passes only public placement facts and well-formed campaign labels', () => {
    assert.deepEqual(buildEventDetail(context, { campaign_id: 'gb-pay-in-4', variant: 'control', name: 'Jane', html: '<b>' }), {
      placement_key: 'credit-badge', purchase_amount: 9900, currency: 'GBP', locale: 'en-GB', campaign_id: 'gb-pay-in-4', variant: 'control',
    });
  });

  it('drops malformed labels', () => {
    const detail = buildEventDetail(context, { campaign_id: '<script>', variant: 'x'.repeat(65) });
    assert.equal('campaign_id' in detail, false);
    assert.equal('variant' in detail, false);
    assert.deepEqual(Object.keys(buildEventDetail(context)), ['placement_key', 'purchase_amount', 'currency', 'locale']);
  });
});
