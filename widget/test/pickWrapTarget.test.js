import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pickWrapTarget } from '../frame/pickWrapTarget.js';

const items = ['close', 'radio', 'link'];

describe('pickWrapTarget', () => {
  it('wraps at the ends and lets the browser move in between', () => {
    assert.equal(pickWrapTarget(items, 'link', false, 'dialog'), 'close');
    assert.equal(pickWrapTarget(items, 'close', true, 'dialog'), 'link');
    assert.equal(pickWrapTarget(items, 'close', false, 'dialog'), null);
    assert.equal(pickWrapTarget(items, 'radio', true, 'dialog'), null);
  });

  it('enters the list from outside it, and holds on the fallback when it is empty', () => {
    assert.equal(pickWrapTarget(items, 'dialog', false, 'dialog'), 'close');
    assert.equal(pickWrapTarget(items, null, true, 'dialog'), 'link');
    assert.equal(pickWrapTarget([], 'dialog', false, 'dialog'), 'dialog');
  });
});
