import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createWindowMessenger } from '../rpc/createWindowMessenger.js';

const ORIGIN = 'https://bff.example';
const NONCE = '0123456789abcdef0123456789abcdef';

/** Just enough of a Window: records postMessage calls, dispatches 'message'. */
function fakeWindow() {
  const listeners = new Set();
  return {
    posted: [],
    postMessage(data, targetOrigin) {
      this.posted.push({ data, targetOrigin });
    },
    addEventListener(type, listener) {
      if (type === 'message') listeners.add(listener);
    },
    removeEventListener(type, listener) {
      if (type === 'message') listeners.delete(listener);
    },
    dispatch(event) {
      for (const listener of listeners) listener(event);
    },
    get listenerCount() {
      return listeners.size;
    },
  };
}

function setup() {
  const frame = fakeWindow();
  const page = fakeWindow();
  const messenger = createWindowMessenger({ targetWindow: frame, targetOrigin: ORIGIN, nonce: NONCE, listenWindow: page });
  const received = [];
  messenger.onMessage((rpc) => received.push(rpc));
  const envelope = (rpc = { jsonrpc: '2.0', method: 'm' }) => ({ onsite: 1, nonce: NONCE, rpc });
  return { frame, page, messenger, received, envelope };
}

describe('createWindowMessenger', () => {
  it('delivers the rpc of a good envelope from the target window and origin', () => {
    const { frame, page, received, envelope } = setup();
    page.dispatch({ source: frame, origin: ORIGIN, data: envelope() });
    assert.deepEqual(received, [{ jsonrpc: '2.0', method: 'm' }]);
  });

  it('drops messages from another source', () => {
    const { page, received, envelope } = setup();
    page.dispatch({ source: fakeWindow(), origin: ORIGIN, data: envelope() });
    page.dispatch({ source: null, origin: ORIGIN, data: envelope() });
    assert.deepEqual(received, []);
  });

  it('drops messages from another origin, compared exactly', () => {
    const { frame, page, received, envelope } = setup();
    for (const origin of ['https://evil.example', 'http://bff.example', 'https://bff.example:443', 'https://bff.example/', 'null']) {
      page.dispatch({ source: frame, origin, data: envelope() });
    }
    assert.deepEqual(received, []);
  });

  it('drops envelopes with another or no nonce', () => {
    const { frame, page, received } = setup();
    const rpc = { jsonrpc: '2.0', method: 'm' };
    page.dispatch({ source: frame, origin: ORIGIN, data: { onsite: 1, nonce: 'f'.repeat(32), rpc } });
    page.dispatch({ source: frame, origin: ORIGIN, data: { onsite: 1, rpc } });
    assert.deepEqual(received, []);
  });

  it('drops malformed data silently', () => {
    const { frame, page, received } = setup();
    for (const data of [undefined, null, 'text', 1, [], {}, { onsite: 2, nonce: NONCE, rpc: {} },
      { onsite: '1', nonce: NONCE, rpc: {} }, { onsite: 1, nonce: NONCE }, { onsite: 1, nonce: NONCE, rpc: null }]) {
      assert.doesNotThrow(() => page.dispatch({ source: frame, origin: ORIGIN, data }));
    }
    assert.deepEqual(received, []);
  });

  it('posts an envelope to the exact target origin, never "*"', () => {
    const { frame, messenger } = setup();
    messenger.post({ jsonrpc: '2.0', method: 'm' });
    assert.deepEqual(frame.posted, [{ data: { onsite: 1, nonce: NONCE, rpc: { jsonrpc: '2.0', method: 'm' } }, targetOrigin: ORIGIN }]);
  });

  it('refuses a wildcard or malformed target origin and an empty nonce', () => {
    const base = { targetWindow: fakeWindow(), listenWindow: fakeWindow() };
    assert.throws(() => createWindowMessenger({ ...base, targetOrigin: '*', nonce: NONCE }), TypeError);
    assert.throws(() => createWindowMessenger({ ...base, targetOrigin: 'https://bff.example/path', nonce: NONCE }), TypeError);
    assert.throws(() => createWindowMessenger({ ...base, targetOrigin: ORIGIN, nonce: '' }), TypeError);
  });

  it('unsubscribes handlers and stops listening on close', () => {
    const { frame, page, messenger, received, envelope } = setup();
    const other = [];
    const unsubscribe = messenger.onMessage((rpc) => other.push(rpc));
    unsubscribe();
    page.dispatch({ source: frame, origin: ORIGIN, data: envelope() });
    assert.equal(other.length, 0);
    assert.equal(received.length, 1);
    messenger.close();
    assert.equal(page.listenerCount, 0);
  });

  it('keeps delivering to other handlers when one throws', () => {
    const { frame, page, messenger, received, envelope } = setup();
    messenger.onMessage(() => {
      throw new Error('handler bug');
    });
    const after = [];
    messenger.onMessage((rpc) => after.push(rpc));
    assert.doesNotThrow(() => page.dispatch({ source: frame, origin: ORIGIN, data: envelope() }));
    assert.equal(received.length, 1);
    assert.equal(after.length, 1);
  });
});

describe('createWindowMessenger limits', () => {
  it('drops oversized and cyclic envelopes from the right source', () => {
    const { frame, page, received, envelope } = setup();
    page.dispatch({ source: frame, origin: ORIGIN, data: envelope({ jsonrpc: '2.0', method: 'm', params: { pad: 'x'.repeat(20000) } }) });
    const cyclic = { jsonrpc: '2.0', method: 'm', params: {} };
    cyclic.params.self = cyclic;
    page.dispatch({ source: frame, origin: ORIGIN, data: envelope(cyclic) });
    assert.deepEqual(received, []);
  });
});
