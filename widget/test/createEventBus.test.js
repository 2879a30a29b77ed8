import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createEventBus } from '../loader/createEventBus.js';

describe('createEventBus', () => {
  it('delivers the detail with its type to the subscribers of that type', () => {
    const bus = createEventBus();
    const got = [];
    bus.on('open', (detail) => got.push(detail));
    bus.on('close', () => got.push('close'));
    bus.emit('open', { placement_key: 'k' });
    assert.deepEqual(got, [{ placement_key: 'k', type: 'open' }]);
  });

  it('ignores unknown types and non-functions, and unsubscribes', () => {
    const bus = createEventBus();
    const got = [];
    const callback = (detail) => got.push(detail.type);
    bus.on('hover', callback);
    bus.on('click', 'not a function');
    const off = bus.on('click', callback);
    bus.on('impression', callback);
    bus.emit('hover', {});
    bus.emit('click', {});
    off();
    bus.emit('click', {});
    bus.off('impression', callback);
    bus.emit('impression', {});
    assert.deepEqual(got, ['click']);
  });

  it('keeps going when a subscriber throws', () => {
    const bus = createEventBus();
    const got = [];
    bus.on('click', () => { throw new Error('merchant bug'); });
    bus.on('click', () => got.push(1));
    assert.doesNotThrow(() => bus.emit('click', {}));
    assert.deepEqual(got, [1]);
  });
});
