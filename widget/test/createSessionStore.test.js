import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSessionStore } from '../loader/createSessionStore.js';
import { randomHex } from '../shared/randomHex.js';

const MINUTE = 60 * 1000;

function memoryStorage() {
  const items = new Map();
  return {
    getItem: (key) => (items.has(key) ? items.get(key) : null),
    setItem: (key, value) => items.set(key, String(value)),
    items,
  };
}

const throwingStorage = {
  getItem() {
    throw new Error('SecurityError');
  },
  setItem() {
    throw new Error('QuotaExceededError');
  },
};

function setup(storage = memoryStorage()) {
  const clock = { time: 1_700_000_000_000 };
  const store = createSessionStore({ storage, createId: () => randomHex(16), now: () => clock.time });
  return { store, clock, storage };
}

describe('createSessionStore', () => {
  it('issues a 128-bit lowercase hex id and stores it with its expiry', () => {
    const { store, clock, storage } = setup();
    const id = store.getId();
    assert.match(id, /^[0-9a-f]{32}$/);
    assert.deepEqual(JSON.parse(storage.items.get('onsite.session')), { id, expires: clock.time + 30 * MINUTE });
  });

  it('reuses the id within 30 minutes', () => {
    const { store, clock } = setup();
    const id = store.getId();
    clock.time += 29 * MINUTE;
    assert.equal(store.getId(), id);
  });

  it('slides the expiry on every use', () => {
    const { store, clock, storage } = setup();
    const id = store.getId();
    for (let i = 0; i < 4; i++) {
      clock.time += 20 * MINUTE;
      assert.equal(store.getId(), id);
    }
    assert.equal(JSON.parse(storage.items.get('onsite.session')).expires, clock.time + 30 * MINUTE);
  });

  it('issues a new id after 30 idle minutes', () => {
    const { store, clock } = setup();
    const id = store.getId();
    clock.time += 30 * MINUTE;
    const next = store.getId();
    assert.notEqual(next, id);
    assert.match(next, /^[0-9a-f]{32}$/);
  });

  it('shares the session through storage (another page of the same origin)', () => {
    const storage = memoryStorage();
    const first = setup(storage).store.getId();
    assert.equal(setup(storage).store.getId(), first);
  });

  it('replaces a corrupt or foreign record', () => {
    const storage = memoryStorage();
    storage.setItem('onsite.session', '{"id":"<script>","expires":9e15}');
    assert.match(setup(storage).store.getId(), /^[0-9a-f]{32}$/);
    storage.setItem('onsite.session', 'not json');
    assert.match(setup(storage).store.getId(), /^[0-9a-f]{32}$/);
  });

  it('falls back to a stable in-memory id when storage throws', () => {
    const { store, clock } = setup(throwingStorage);
    const id = store.getId();
    assert.match(id, /^[0-9a-f]{32}$/);
    clock.time += 10 * MINUTE;
    assert.equal(store.getId(), id);
    clock.time += 31 * MINUTE;
    assert.notEqual(store.getId(), id);
  });

  it('works without any storage', () => {
    const { store } = setup(null);
    assert.equal(store.getId(), store.getId());
  });
});
