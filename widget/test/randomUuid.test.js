import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { describe, it } from 'node:test';
import { randomUuid } from '../shared/randomUuid.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('randomUuid', () => {
  it('uses crypto.randomUUID when there is one', () => {
    assert.match(randomUuid(webcrypto), UUID_V4);
  });

  it('builds a version 4 UUID from getRandomValues otherwise', () => {
    const ids = new Set(Array.from({ length: 50 }, () => randomUuid({ getRandomValues: (a) => webcrypto.getRandomValues(a) })));
    assert.equal(ids.size, 50);
    for (const id of ids) assert.match(id, UUID_V4);
  });
});
