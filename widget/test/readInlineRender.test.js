import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildFrameUrl } from '../loader/buildFrameUrl.js';
import { readInlineRender } from '../frame/readInlineRender.js';

const NONCE = 'a'.repeat(32);
const context = {
  client_id: 'demo', placement_key: 'credit-badge', locale: 'en-GB', purchase_amount: 9900, session_id: 'b'.repeat(32),
  currency: null, theme: null, consent: null, page_url: 'https://shop.example/p?q=1', theme_vars: { '--x': '1' },
};

function hashOf(render) {
  return new URL(buildFrameUrl({ bffOrigin: 'https://bff.example', clientId: 'demo', nonce: NONCE, parentOrigin: 'https://shop.example', render })).hash;
}

describe('readInlineRender', () => {
  it('round-trips the render fields the loader writes, and only those', () => {
    const read = readInlineRender(hashOf(context), 'demo');
    assert.deepEqual(read, { client_id: 'demo', placement_key: 'credit-badge', locale: 'en-GB', purchase_amount: 9900, session_id: 'b'.repeat(32), currency: null, theme: null, consent: null });
  });

  it('is absent when the shopper has a customer token: tokens never go into a URL', () => {
    const hash = hashOf({ ...context, consent: true, customer_token: 'eyJ.x.y' });
    assert.doesNotMatch(hash, /render=|eyJ/);
    assert.equal(readInlineRender(hash, 'demo'), null);
  });

  it('is null for another client, a broken or oversized value, or no value', () => {
    assert.equal(readInlineRender(hashOf(context), 'other'), null);
    assert.equal(readInlineRender(`#nonce=${NONCE}&origin=x`, 'demo'), null);
    assert.equal(readInlineRender(`#nonce=${NONCE}&render=%7Bnot-json`, 'demo'), null);
    assert.equal(readInlineRender(`#render=${encodeURIComponent(JSON.stringify({ ...context, purchase_amount: -1 }))}`, 'demo'), null);
    assert.equal(readInlineRender(`#render=${encodeURIComponent(JSON.stringify({ ...context, locale: 'x'.repeat(3000) }))}`, 'demo'), null);
    assert.equal(readInlineRender(undefined, 'demo'), null);
  });
});
