import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseLines } from '../frame/chooseLines.js';

describe('chooseLines', () => {
  it('puts message and call to action on one line when both fit, gap included', () => {
    assert.equal(chooseLines({ available: 300, text: 200, cta: 77, gap: 8 }), 1);
    assert.equal(chooseLines({ available: 285, text: 200, cta: 77, gap: 8 }), 1);
    assert.equal(chooseLines({ available: 284, text: 200, cta: 77, gap: 8 }), 2);
  });

  it('moves the call to action below while the message still fits a line, then gives up', () => {
    assert.equal(chooseLines({ available: 200, text: 200, cta: 77, gap: 8 }), 2);
    assert.equal(chooseLines({ available: 199, text: 200, cta: 77, gap: 8 }), 0);
    assert.equal(chooseLines({ available: 60, text: 50, cta: 77, gap: 8 }), 0);
  });

  it('is 0 without a usable width', () => {
    assert.equal(chooseLines({ available: 0, text: 0, cta: 0, gap: 0 }), 0);
    assert.equal(chooseLines({ available: NaN, text: 10, cta: 10, gap: 8 }), 0);
  });
});
