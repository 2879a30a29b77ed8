import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clampHeight } from '../loader/clampHeight.js';

describe('clampHeight (frame.resize)', () => {
  it('keeps integer heights in range', () => {
    assert.equal(clampHeight(0), 0);
    assert.equal(clampHeight(42), 42);
    assert.equal(clampHeight(600), 600);
  });

  it('rounds fractions up so content is not clipped', () => {
    assert.equal(clampHeight(41.2), 42);
  });

  it('clamps to [0, 600]', () => {
    assert.equal(clampHeight(-10), 0);
    assert.equal(clampHeight(601), 600);
    assert.equal(clampHeight(1e9), 600);
    assert.equal(clampHeight(Infinity), 600);
    assert.equal(clampHeight(-Infinity), 0);
  });

  it('gives 0 for non-numbers', () => {
    for (const value of [NaN, '120', null, undefined, {}, []]) assert.equal(clampHeight(value), 0);
  });
});
