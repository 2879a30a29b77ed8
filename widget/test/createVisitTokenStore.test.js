import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createVisitTokenStore } from '../frame/createVisitTokenStore.js';

const SESSION = 'a'.repeat(32);
const TOKEN = 'v1.20428.' + 'eyJ2IjoxfQ' + '.' + 'A'.repeat(43);

function memoryStorage() {
  const items = new Map();
  return { getItem: (k) => (items.has(k) ? items.get(k) : null), setItem: (k, v) => items.set(k, String(v)), items };
}

function blockedStorage() {
  const deny = () => {
    throw new Error('SecurityError');
  };
  return { getItem: deny, setItem: deny };
}

describe('createVisitTokenStore', () => {
  it('keeps the token per client in storage, for the next page of the visit', () => {
    const storage = memoryStorage();
    createVisitTokenStore(storage).set('demo', SESSION, TOKEN);
    assert.deepEqual([...storage.items.keys()], ['onsite.visit.demo']);
    assert.equal(createVisitTokenStore(storage).get('demo', SESSION), TOKEN);
    assert.equal(createVisitTokenStore(storage).get('other', SESSION), null);
  });

  it('never hands a token to another session', () => {
    const store = createVisitTokenStore(memoryStorage());
    store.set('demo', SESSION, TOKEN);
    assert.equal(store.get('demo', 'b'.repeat(32)), null);
  });

  it('falls back to memory when storage is missing or denied', () => {
    for (const storage of [null, blockedStorage()]) {
      const store = createVisitTokenStore(storage);
      assert.equal(store.get('demo', SESSION), null);
      store.set('demo', SESSION, TOKEN);
      assert.equal(store.get('demo', SESSION), TOKEN);
    }
  });

  it('ignores what is not shaped like a token, coming from the server or from storage', () => {
    const storage = memoryStorage();
    const store = createVisitTokenStore(storage);
    for (const bad of [null, 42, '', 'v2.1.x.' + 'A'.repeat(43), TOKEN + '\n', 'v1.1.' + 'x'.repeat(1000) + '.' + 'A'.repeat(43)]) {
      store.set('demo', SESSION, bad);
    }
    assert.equal(storage.items.size, 0);
    for (const stored of ['{not json', JSON.stringify({ session_id: SESSION, token: '<script>' }), JSON.stringify([TOKEN])]) {
      storage.items.set('onsite.visit.demo', stored);
      assert.equal(createVisitTokenStore(storage).get('demo', SESSION), null);
    }
  });
});
