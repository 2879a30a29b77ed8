import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFrameSetup } from '../frame/readFrameSetup.js';

const NONCE = 'a'.repeat(32);
const root = { id: 'onsite-root' };

function shell({ origins = ['https://shop.example'], framed = true, hash } = {}) {
  const doc = {
    body: { dataset: { allowedOrigins: JSON.stringify(origins), rpcUrl: '/rpc', clientId: 'demo', view: 'placement' } },
    getElementById: (id) => (id === 'onsite-root' ? root : null),
  };
  const win = { location: { hash: hash ?? `#nonce=${NONCE}&origin=${encodeURIComponent('https://shop.example')}` } };
  win.parent = framed ? {} : win;
  return { win, doc };
}

describe('readFrameSetup', () => {
  it('gives the config, the channel and the root of a framed shell its claimed parent may use', () => {
    const { win, doc } = shell();
    const setup = readFrameSetup(win, doc);
    assert.deepEqual(setup.channel, { nonce: NONCE, origin: 'https://shop.example' });
    assert.equal(setup.root, root);
    assert.equal(setup.config.clientId, 'demo');
  });

  it('is null unframed, for an origin the shell does not allow, or without a nonce', () => {
    for (const options of [{ framed: false }, { origins: ['https://other.example'] }, { hash: '#origin=https%3A%2F%2Fshop.example' }]) {
      const { win, doc } = shell(options);
      assert.equal(readFrameSetup(win, doc), null, JSON.stringify(options));
    }
  });
});
