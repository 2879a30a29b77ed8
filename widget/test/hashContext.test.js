import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hashContext } from '../shared/hashContext.js';
import { stableStringify } from '../shared/stableStringify.js';

const context = {
  client_id: 'demo',
  placement_key: 'credit-badge',
  locale: 'en-GB',
  purchase_amount: 9900,
  currency: 'GBP',
  session_id: 'f'.repeat(32),
  theme: null,
};

describe('hashContext', () => {
  it('is a stable 8-hex-digit value', () => {
    const hash = hashContext(context);
    assert.match(hash, /^[0-9a-f]{8}$/);
    assert.equal(hashContext(structuredClone(context)), hash);
    // Pinned: changing the hash silently orphans every cached entry.
    assert.equal(hash, '7e20efa8');
  });

  it('does not depend on key order', () => {
    const reversed = Object.fromEntries(Object.entries(context).reverse());
    assert.equal(hashContext(reversed), hashContext(context));
    assert.equal(stableStringify({ b: { y: 1, x: 2 }, a: [2, 1] }), '{"a":[2,1],"b":{"x":2,"y":1}}');
  });

  it('changes with any value', () => {
    const seen = new Set([hashContext(context)]);
    for (const change of [{ purchase_amount: 9901 }, { locale: 'en-US' }, { currency: null }, { theme: 'dark' }, { session_id: 'e'.repeat(32) }]) {
      seen.add(hashContext({ ...context, ...change }));
    }
    assert.equal(seen.size, 6);
  });
});
