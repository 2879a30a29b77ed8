import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createEventQueue } from '../frame/createEventQueue.js';

function setup(maxBatch = 3) {
  const sent = [];
  const timers = new Map();
  let next = 1;
  const queue = createEventQueue({
    send: (events) => sent.push(events),
    maxBatch,
    setTimer: (fn) => (timers.set(next, fn), next++),
    clearTimer: (id) => timers.delete(id),
  });
  const elapse = () => [...timers.entries()].forEach(([id, fn]) => { timers.delete(id); fn(); });
  return { queue, sent, timers, elapse };
}

describe('createEventQueue', () => {
  it('sends one batch after the delay', () => {
    const { queue, sent, timers, elapse } = setup();
    queue.push({ n: 1 });
    queue.push({ n: 2 });
    assert.equal(timers.size, 1);
    assert.deepEqual(sent, []);
    elapse();
    assert.deepEqual(sent, [[{ n: 1 }, { n: 2 }]]);
  });

  it('sends at once when the batch is full, and on flush', () => {
    const { queue, sent, timers } = setup(2);
    queue.push({ n: 1 });
    queue.push({ n: 2 });
    assert.deepEqual(sent, [[{ n: 1 }, { n: 2 }]]);
    assert.equal(timers.size, 0);
    queue.push({ n: 3 });
    queue.flush();
    queue.flush();
    assert.deepEqual(sent, [[{ n: 1 }, { n: 2 }], [{ n: 3 }]]);
  });
});
