import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isRenderResult } from '../frame/isRenderResult.js';

const interstitial = { kind: 'interstitial', title: 'Pay your way', options: [{ id: 'pay_in_4', label: 'Pay in 4', schedule: [] }] };

describe('isRenderResult', () => {
  it('accepts empty, badge, strip and interstitial results', () => {
    assert.equal(isRenderResult({ kind: 'empty' }), true);
    assert.equal(isRenderResult({ kind: 'badge', html: 'a', text: 'a' }), true);
    assert.equal(isRenderResult({ kind: 'strip', html: 'a', text: 'a' }), true);
    assert.equal(isRenderResult(interstitial), true);
  });

  it('rejects malformed results', () => {
    for (const value of [null, 'badge', { kind: 'popup' }, { kind: 'badge', html: 'a' }, { ...interstitial, options: [] },
      { ...interstitial, title: 1 }, { ...interstitial, options: [{ id: 'x', label: 'x' }] }, { ...interstitial, options: [null] }]) {
      assert.equal(isRenderResult(value), false, JSON.stringify(value));
    }
  });
});
