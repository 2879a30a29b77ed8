import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRenderCache } from '../frame/createRenderCache.js';

const params = { client_id: 'demo', placement_key: 'credit-badge', locale: 'en-GB', purchase_amount: 9900, session_id: 'a'.repeat(32) };
const result = { kind: 'badge', html: 'Pay in 4', text: 'Pay in 4' };

function memoryStorage() {
  const items = new Map();
  return { getItem: (k) => (items.has(k) ? items.get(k) : null), setItem: (k, v) => items.set(k, String(v)), items };
}

describe('createRenderCache', () => {
  it('returns what was stored for the same params, in any key order', () => {
    const cache = createRenderCache(memoryStorage());
    assert.equal(cache.get(params), null);
    cache.set(params, result);
    const reordered = Object.fromEntries(Object.entries(params).reverse());
    assert.deepEqual(cache.get(reordered), result);
    assert.equal(cache.get({ ...params, purchase_amount: 1 }), null);
  });

  it('uses an onsite.render.<hash> key', () => {
    const storage = memoryStorage();
    createRenderCache(storage).set(params, result);
    assert.match([...storage.items.keys()][0], /^onsite\.render\.[0-9a-f]{8}$/);
  });

  it('never serves an entry written for other params or of the wrong shape', () => {
    const storage = memoryStorage();
    createRenderCache(storage).set(params, result);
    const cache = createRenderCache(storage); // a later page of the visit: storage only
    const [key] = storage.items.keys();
    storage.items.set(key, JSON.stringify({ params: '{"other":1}', result }));
    assert.equal(cache.get(params), null);
    storage.items.set(key, JSON.stringify({ params: JSON.parse(storage.items.get(key)).params, result: { kind: 'popup' } }));
    assert.equal(cache.get(params), null);
    storage.items.set(key, '{not json');
    assert.equal(cache.get(params), null);
  });

  it('keeps serving from memory when storage is missing or throws', () => {
    const throwing = { getItem() { throw new Error('blocked'); }, setItem() { throw new Error('full'); } };
    for (const storage of [null, throwing]) {
      const cache = createRenderCache(storage);
      assert.equal(cache.get(params), null);
      assert.doesNotThrow(() => cache.set(params, result));
      assert.deepEqual(cache.get(params), result);
      assert.equal(createRenderCache(storage).get(params), null);
    }
  });

  it('serves a later frame of the visit from sessionStorage', () => {
    const storage = memoryStorage();
    createRenderCache(storage).set(params, result);
    assert.deepEqual(createRenderCache(storage).get(params), result);
  });
});
