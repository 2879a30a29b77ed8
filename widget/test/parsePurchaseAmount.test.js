import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePurchaseAmount } from '../loader/parsePurchaseAmount.js';

describe('parsePurchaseAmount', () => {
  it('accepts non-negative integers written as digits', () => {
    assert.equal(parsePurchaseAmount('9900'), 9900);
    assert.equal(parsePurchaseAmount('0'), 0);
    assert.equal(parsePurchaseAmount(' 125 '), 125);
    assert.equal(parsePurchaseAmount(String(Number.MAX_SAFE_INTEGER)), Number.MAX_SAFE_INTEGER);
  });

  it('rejects everything else', () => {
    for (const value of ['', ' ', '-1', '99.00', '1e3', '0x10', '12abc', '£99', '+5', '9 900', 'NaN', 'Infinity',
      '9007199254740993', null, undefined, 9900]) {
      assert.equal(parsePurchaseAmount(value), null, String(value));
    }
  });
});
