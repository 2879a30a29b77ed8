import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createViewabilityTracker } from '../loader/createViewabilityTracker.js';

function setup() {
  const timers = new Map();
  let next = 1;
  let fired = 0;
  const tracker = createViewabilityTracker({
    onViewable: () => fired++,
    setTimer: (fn, ms) => {
      assert.equal(ms, 1000);
      timers.set(next, fn);
      return next++;
    },
    clearTimer: (id) => timers.delete(id),
  });
  const elapse = () => [...timers.entries()].forEach(([id, fn]) => { timers.delete(id); fn(); });
  return { tracker, timers, elapse, fired: () => fired };
}

describe('createViewabilityTracker', () => {
  it('fires once after half the placement was visible with content for 1 s', () => {
    const { tracker, timers, elapse, fired } = setup();
    tracker.setShowing(true);
    tracker.setRatio(0.49);
    assert.equal(timers.size, 0);
    tracker.setRatio(0.5);
    assert.equal(timers.size, 1);
    elapse();
    assert.equal(fired(), 1);
    tracker.setRatio(0);
    tracker.setRatio(1);
    assert.equal(timers.size, 0, 'only once per frame');
  });

  it('cancels when it scrolls away, hides, or the page is hidden before 1 s', () => {
    const { tracker, timers, elapse, fired } = setup();
    tracker.setShowing(true);
    for (const interrupt of [() => tracker.setRatio(0.2), () => tracker.setShowing(false), () => tracker.setPageVisible(false)]) {
      tracker.setRatio(1);
      tracker.setShowing(true);
      tracker.setPageVisible(true);
      assert.equal(timers.size, 1);
      interrupt();
      assert.equal(timers.size, 0);
    }
    elapse();
    assert.equal(fired(), 0);
  });

  it('needs content: an empty placement is never viewed, and reset() arms it again', () => {
    const { tracker, timers, elapse, fired } = setup();
    tracker.setRatio(1);
    assert.equal(timers.size, 0);
    tracker.setShowing(true);
    elapse();
    tracker.reset();
    assert.equal(timers.size, 0, 'a new frame starts without content');
    tracker.setShowing(true);
    elapse();
    assert.equal(fired(), 2);
  });
});
