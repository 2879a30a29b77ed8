import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildRenderParams } from '../shared/buildRenderParams.js';

const CONTEXT = {
  client_id: 'demo',
  placement_key: 'credit-badge',
  locale: 'en-GB',
  purchase_amount: 9900,
  session_id: 'a'.repeat(32),
  currency: null,
  theme: 'dark',
  page_url: 'https://shop.example/p',
};

test('required params, non-null optional ones, and no page facts', () => {
  assert.deepEqual(buildRenderParams(CONTEXT, { view: 'interstitial' }), {
    client_id: 'demo',
    placement_key: 'credit-badge',
    locale: 'en-GB',
    purchase_amount: 9900,
    session_id: 'a'.repeat(32),
    theme: 'dark',
    view: 'interstitial',
  });
});

test('the customer token is sent only with consent', () => {
  const withRef = { ...CONTEXT, customer_token: 'h.p.s' };
  assert.equal(buildRenderParams(withRef).customer_token, undefined);
  assert.equal(buildRenderParams(withRef).consent, undefined);
  const refused = buildRenderParams({ ...withRef, consent: false });
  assert.deepEqual(refused.consent, { personalization: false });
  assert.equal(refused.customer_token, undefined);
  const granted = buildRenderParams({ ...withRef, consent: true });
  assert.deepEqual(granted.consent, { personalization: true });
  assert.equal(granted.customer_token, 'h.p.s');
});
