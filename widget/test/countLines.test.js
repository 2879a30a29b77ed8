import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countLines } from '../frame/countLines.js';

describe('countLines', () => {
  it('counts wrapped lines of a flex badge, gaps included', () => {
    assert.equal(countLines({ height: 19.6, lineHeight: 19.6, rowGap: 2 }), 1);
    assert.equal(countLines({ height: 41.2, lineHeight: 19.6, rowGap: 2 }), 2);
    assert.equal(countLines({ height: 60.8, lineHeight: 19.6, rowGap: 2 }), 3);
    assert.equal(countLines({ height: 58.8, lineHeight: 19.6 }), 3);
  });

  it('is 0 for nothing and 1 without a usable line height', () => {
    assert.equal(countLines({ height: 0, lineHeight: 19.6 }), 0);
    assert.equal(countLines({ height: 30, lineHeight: NaN }), 1);
  });
});
