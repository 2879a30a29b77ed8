import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTrackedEvent } from '../frame/buildTrackedEvent.js';

const context = {
  client_id: 'demo', placement_key: 'credit-badge', locale: 'en-GB', purchase_amount: 9900, currency: null,
  session_id: 'a'.repeat(32), theme: null, page_url: 'https://shop.example/p', referrer: 'https://search.example',
  utm_source: 'news', utm_medium: 'e<mail', customer_token: 'h.p.s', consent: true,
};

describe('buildTrackedEvent', () => {
  it('builds the events.track event of the contract, naming the message shown', () => {
    const shown = { kind: 'badge', currency: 'GBP', campaign_id: 'uk-pay-in-3', variant: 'B', html: '<b>x</b>' };
    const event = buildTrackedEvent({ type: 'impression', context, shown, id: 'e1e1e1e1', ts: 1700000000000 });
    assert.deepEqual(event, {
      id: 'e1e1e1e1', type: 'impression', client_id: 'demo', placement_key: 'credit-badge', session_id: 'a'.repeat(32),
      ts: 1700000000000, page_url: 'https://shop.example/p', amount: 9900, currency: 'GBP', locale: 'en-GB',
      campaign_id: 'uk-pay-in-3', variant: 'B', referrer: 'https://search.example', utm_source: 'news',
    });
  });

  it('leaves out a campaign or variant the result does not name as a string', () => {
    const event = buildTrackedEvent({ type: 'click', context, shown: { campaign_id: 7, variant: null }, id: 'x', ts: 1 });
    assert.equal('campaign_id' in event || 'variant' in event, false);
  });

  it('falls back to the context currency and leaves out what the loader did not give', () => {
    const bare = { ...context, currency: 'EUR', page_url: undefined, referrer: 'javascript:alert(1)', utm_source: null };
    const event = buildTrackedEvent({ type: 'view', context: bare, id: 'x', ts: 1 });
    assert.equal(event.currency, 'EUR');
    assert.equal(event.page_url, null);
    assert.equal('referrer' in event || 'utm_source' in event || 'utm_medium' in event, false);
    assert.equal('customer_token' in event, false);
  });
});
