import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createHeightMemory } from '../loader/createHeightMemory.js';

function memoryStorage() {
  const items = new Map();
  return { getItem: (k) => (items.has(k) ? items.get(k) : null), setItem: (k, v) => items.set(k, String(v)), items };
}

describe('createHeightMemory', () => {
  it('remembers the last height per placement key', () => {
    const storage = memoryStorage();
    const memory = createHeightMemory(storage);
    assert.equal(memory.get('credit-badge'), null);
    memory.set('credit-badge', 40);
    memory.set('top-strip', 0);
    assert.equal(createHeightMemory(storage).get('credit-badge'), 40);
    assert.equal(memory.get('top-strip'), 0);
  });

  it('ignores values it did not write and storage that throws', () => {
    const storage = memoryStorage();
    for (const junk of ['-1', '601', '4e1', 'abc', '40px']) {
      storage.items.set('onsite.height.k', junk);
      assert.equal(createHeightMemory(storage).get('k'), null, junk);
    }
    const throwing = { getItem() { throw new Error('blocked'); }, setItem() { throw new Error('full'); } };
    assert.doesNotThrow(() => createHeightMemory(throwing).set('k', 1));
    assert.equal(createHeightMemory(throwing).get('k'), null);
    assert.equal(createHeightMemory(null).get('k'), null);
  });
});
