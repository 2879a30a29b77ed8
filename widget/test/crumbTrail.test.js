import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crumbTrail } from '../dashboard/crumbTrail.js';

test('from all traffic, one crumb per fixed dimension', () => {
  assert.deepEqual(crumbTrail('merchant=acme|browser=Firefox'), [
    ['all traffic', '*'],
    ['merchant: acme', 'merchant=acme'],
    ['browser: Firefox', 'merchant=acme|browser=Firefox'],
  ]);
  assert.deepEqual(crumbTrail('*'), [['all traffic', '*']]);
});

test("a merchant admin's trail starts at its merchant and never offers all traffic", () => {
  assert.deepEqual(crumbTrail('merchant=acme|device=mobile', 'merchant=acme'), [
    ['merchant: acme', 'merchant=acme'],
    ['device: mobile', 'merchant=acme|device=mobile'],
  ]);
  assert.deepEqual(crumbTrail('merchant=zeta', 'merchant=acme'), [['merchant: acme', 'merchant=acme']]);
  assert.deepEqual(crumbTrail('*', 'merchant=acme'), [['merchant: acme', 'merchant=acme']]);
});
