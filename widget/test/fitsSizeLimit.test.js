import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fitsSizeLimit } from '../rpc/fitsSizeLimit.js';

describe('fitsSizeLimit', () => {
  it('accepts small JSON data and refuses data over the limit', () => {
    assert.equal(fitsSizeLimit({ a: 'x'.repeat(10) }, 100), true);
    assert.equal(fitsSizeLimit({ a: 'x'.repeat(200) }, 100), false);
    assert.equal(fitsSizeLimit({ a: 'x'.repeat(20000) }), false);
    assert.equal(fitsSizeLimit({ a: 'x'.repeat(1000) }), true);
  });

  it('refuses what JSON cannot represent, without throwing', () => {
    const cyclic = {};
    cyclic.self = cyclic;
    assert.equal(fitsSizeLimit(cyclic), false);
    assert.equal(fitsSizeLimit({ n: 10n }), false);
    assert.equal(fitsSizeLimit(undefined), false);
    const hostile = { toJSON() { throw new Error('boom'); } };
    assert.equal(fitsSizeLimit(hostile), false);
  });
});
