import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connectFrame } from '../loader/connectFrame.js';

const ORIGIN = 'https://bff.example';
const NONCE = '0123456789abcdef0123456789abcdef';

/** Just enough of a Window: records postMessage calls, dispatches 'message'. */
function fakeWindow() {
  const listeners = new Set();
  return {
    posted: [],
    postMessage(data) {
      this.posted.push(data.rpc);
    },
    addEventListener: (type, listener) => listeners.add(listener),
    removeEventListener: (type, listener) => listeners.delete(listener),
    dispatch: (event) => listeners.forEach((listener) => listener(event)),
  };
}

function setup({ view = 'placement', handshakeTimeoutMs = 50 } = {}) {
  const frame = fakeWindow();
  const page = fakeWindow();
  const events = [];
  const channel = connectFrame({
    iframe: { contentWindow: frame },
    win: page,
    bffOrigin: ORIGIN,
    nonce: NONCE,
    view,
    getContext: () => ({ placement_key: 'k' }),
    methods: { 'frame.resize': (params) => ({ height: params.height }) },
    onReady: () => events.push('ready'),
    onFailed: () => events.push('failed'),
    handshakeTimeoutMs,
  });
  const send = (rpc, source = frame) => page.dispatch({ source, origin: ORIGIN, data: { onsite: 1, nonce: NONCE, rpc } });
  // Error answers can overtake results (fewer awaits), so answers are sorted by id.
  const answers = () => frame.posted.filter((rpc) => 'id' in rpc && !('method' in rpc)).sort((a, b) => a.id - b.id);
  return { channel, frame, events, send, answers };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('connectFrame', () => {
  it('serves only frame.hello before the handshake, then the methods', async () => {
    const { channel, events, send, answers } = setup();
    send({ jsonrpc: '2.0', id: 1, method: 'frame.resize', params: { height: 10 } });
    send({ jsonrpc: '2.0', id: 2, method: 'frame.hello', params: { version: 1 } });
    send({ jsonrpc: '2.0', id: 3, method: 'frame.resize', params: { height: 10 } });
    send({ jsonrpc: '2.0', id: 4, method: 'context.get' });
    await tick();
    assert.deepEqual(answers(), [
      { jsonrpc: '2.0', id: 1, error: { code: -32601, message: 'Method not found' } },
      { jsonrpc: '2.0', id: 2, result: { placement_key: 'k' } },
      { jsonrpc: '2.0', id: 3, result: { height: 10 } },
      { jsonrpc: '2.0', id: 4, result: { placement_key: 'k' } },
    ]);
    assert.deepEqual(events, ['ready']);
    assert.equal(channel.isReady(), true);
    channel.close();
  });

  it('refuses a replayed hello once connected', async () => {
    const { channel, events, send, answers } = setup();
    send({ jsonrpc: '2.0', id: 1, method: 'frame.hello', params: { version: 1 } });
    send({ jsonrpc: '2.0', id: 2, method: 'frame.hello', params: { version: 1 } });
    await tick();
    assert.equal(answers()[1].error.code, -32601);
    assert.deepEqual(events, ['ready']);
    channel.close();
  });

  it('refuses a hello of the wrong version or view', async () => {
    const { channel, events, send, answers } = setup({ view: 'interstitial' });
    send({ jsonrpc: '2.0', id: 1, method: 'frame.hello', params: { version: 2, view: 'interstitial' } });
    send({ jsonrpc: '2.0', id: 2, method: 'frame.hello', params: { version: 1 } });
    send({ jsonrpc: '2.0', id: 3, method: 'frame.hello', params: { version: 1, view: 'interstitial' } });
    await tick();
    assert.deepEqual(answers().map((a) => (a.error ? a.error.code : 'ok')), [-32602, -32602, 'ok']);
    assert.deepEqual(events, ['ready']);
    channel.close();
  });

  it('ignores messages from other windows', async () => {
    const { channel, events, send, answers } = setup();
    send({ jsonrpc: '2.0', id: 1, method: 'frame.hello', params: { version: 1 } }, fakeWindow());
    await tick();
    assert.deepEqual(answers(), []);
    assert.deepEqual(events, []);
    channel.close();
  });

  it('fails and closes without a hello in time, rejecting pending calls', async () => {
    const { channel, events, send, answers } = setup({ handshakeTimeoutMs: 5 });
    const pending = assert.rejects(channel.call('context.update', {}), { code: 'CLOSED' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(events, ['failed']);
    await pending;
    send({ jsonrpc: '2.0', id: 1, method: 'frame.hello', params: { version: 1 } });
    await tick();
    assert.deepEqual(answers(), []);
  });
});

describe('connectFrame: the first paint', () => {
  function setupPainted() {
    const painted = [];
    const frame = fakeWindow();
    const page = fakeWindow();
    const channel = connectFrame({
      iframe: { contentWindow: frame },
      win: page,
      bffOrigin: ORIGIN,
      nonce: NONCE,
      view: 'placement',
      getContext: () => ({ placement_key: 'k' }),
      methods: {},
      onReady() {},
      onFailed() {},
      onPainted: (params) => painted.push(params),
      handshakeTimeoutMs: 1000,
    });
    const send = (rpc, { source = frame, origin = ORIGIN, nonce = NONCE } = {}) => page.dispatch({ source, origin, data: { onsite: 1, nonce, rpc } });
    return { channel, painted, send };
  }

  it('serves frame.painted once, before the hello only', async () => {
    const { channel, painted, send } = setupPainted();
    send({ jsonrpc: '2.0', method: 'frame.painted', params: { height: 40 } });
    send({ jsonrpc: '2.0', method: 'frame.painted', params: { height: 400 } });
    await tick();
    assert.deepEqual(painted, [{ height: 40 }], 'a second paint is refused');
    channel.close();

    const late = setupPainted();
    late.send({ jsonrpc: '2.0', id: 1, method: 'frame.hello', params: { version: 1 } });
    late.send({ jsonrpc: '2.0', method: 'frame.painted', params: { height: 40 } });
    await tick();
    assert.deepEqual(late.painted, [], 'after the hello a paint is refused');
    late.channel.close();
  });

  it('ignores a paint from another window, origin or nonce', async () => {
    const { channel, painted, send } = setupPainted();
    const rpc = { jsonrpc: '2.0', method: 'frame.painted', params: { height: 40 } };
    send(rpc, { source: fakeWindow() });
    send(rpc, { origin: 'https://evil.example' });
    send(rpc, { nonce: 'f'.repeat(32) });
    await tick();
    assert.deepEqual(painted, []);
    send(rpc);
    await tick();
    assert.deepEqual(painted, [{ height: 40 }], 'the real one is still served');
    channel.close();
  });
});
