import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildFrameUrl } from '../loader/buildFrameUrl.js';
import { parseHashParams } from '../frame/parseHashParams.js';

const NONCE = 'a'.repeat(32);

describe('parseHashParams', () => {
  it('reads nonce and decoded origin', () => {
    assert.deepEqual(parseHashParams(`#nonce=${NONCE}&origin=https%3A%2F%2Fshop.example%3A8443`), {
      nonce: NONCE,
      origin: 'https://shop.example:8443',
    });
  });

  it('round-trips what the loader writes', () => {
    const url = buildFrameUrl({ bffOrigin: 'https://bff.example', clientId: 'de mo&x', nonce: NONCE, parentOrigin: 'http://localhost:8000' });
    assert.equal(url, `https://bff.example/frame/placement?client_id=de%20mo%26x#nonce=${NONCE}&origin=http%3A%2F%2Flocalhost%3A8000`);
    assert.deepEqual(parseHashParams(new URL(url).hash), { nonce: NONCE, origin: 'http://localhost:8000' });
  });

  it('returns null without a well-formed nonce or without an origin', () => {
    for (const hash of ['', '#', `#origin=https%3A%2F%2Fshop.example`, `#nonce=${NONCE}`, `#nonce=${NONCE}&origin=`,
      '#nonce=xyz&origin=https%3A%2F%2Fshop.example', `#nonce=${NONCE.toUpperCase()}&origin=a`, undefined]) {
      assert.equal(parseHashParams(hash), null, String(hash));
    }
  });
});
