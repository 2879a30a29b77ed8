import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mountPreviewFrame } from '../console/mountPreviewFrame.js';

const ORIGIN = 'https://console.example';

/** Just enough of a Window: records postMessage calls, dispatches 'message'. */
function fakeWindow() {
  const listeners = new Set();
  return {
    location: { origin: ORIGIN },
    posted: [],
    postMessage(data) {
      this.posted.push(data.rpc);
    },
    addEventListener: (type, listener) => listeners.add(listener),
    removeEventListener: (type, listener) => listeners.delete(listener),
    dispatch: (event) => listeners.forEach((listener) => listener(event)),
  };
}

function fakeElement(tag) {
  const attributes = new Map();
  const element = {
    tag,
    style: {},
    children: [],
    classList: { add: (name) => attributes.set('class', ((attributes.get('class') || '') + ' ' + name).trim()) },
    setAttribute: (name, value) => attributes.set(name, String(value)),
    getAttribute: (name) => (attributes.has(name) ? attributes.get(name) : null),
    appendChild: (child) => element.children.push(child),
    remove: () => {
      element.removed = true;
    },
  };
  return element;
}

function setup({ view = 'placement', height } = {}) {
  const page = fakeWindow();
  const frameWindow = fakeWindow();
  const doc = {
    createElement(tag) {
      const element = fakeElement(tag);
      if (tag === 'iframe') element.contentWindow = frameWindow;
      return element;
    },
  };
  const host = { ...fakeElement('div'), ownerDocument: doc };
  const outcomes = [];
  let context = { placement_key: 'k', session_id: 'pv-desktop-' + 'A'.repeat(22) };
  const frame = mountPreviewFrame({
    win: page,
    host,
    frameUrl: '/console/m/demo/preview/frame/' + view,
    view,
    height,
    getContext: () => context,
    onOutcome: (state, reason) => outcomes.push([state, reason]),
    handshakeTimeoutMs: 1000,
  });
  const nonce = /#nonce=([0-9a-f]+)&origin=/.exec(frame.iframe.src)[1];
  const send = (rpc, { source = frameWindow, origin = ORIGIN } = {}) => page.dispatch({ source, origin, data: { onsite: 1, nonce, rpc } });
  const answers = () => frameWindow.posted.filter((rpc) => 'id' in rpc && !('method' in rpc)).sort((a, b) => a.id - b.id);
  return { frame, frameWindow, host, outcomes, send, answers, setContext: (next) => (context = next) };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('mountPreviewFrame', () => {
  it('mounts the console frame route with the console origin in the fragment', () => {
    const { frame, host } = setup();
    assert.deepEqual(host.children, [frame.iframe]);
    assert.match(frame.iframe.src, /^\/console\/m\/demo\/preview\/frame\/placement#nonce=[0-9a-f]{32}&origin=https%3A%2F%2Fconsole\.example$/);
    assert.equal(frame.iframe.getAttribute('data-preview-view'), 'placement');
    frame.destroy();
  });

  it('answers the hello with the context, then serves resizes and outcomes', async () => {
    const { frame, send, answers, outcomes } = setup();
    send({ jsonrpc: '2.0', id: 1, method: 'frame.hello', params: { version: 1 } });
    send({ jsonrpc: '2.0', id: 2, method: 'frame.resize', params: { height: 900 } });
    send({ jsonrpc: '2.0', method: 'placement.outcome', params: { state: 'empty', reason: 'draft_expired' } });
    send({ jsonrpc: '2.0', id: 3, method: 'interstitial.open', params: {} });
    await tick();
    assert.deepEqual(answers(), [
      { jsonrpc: '2.0', id: 1, result: { placement_key: 'k', session_id: 'pv-desktop-' + 'A'.repeat(22) } },
      { jsonrpc: '2.0', id: 2, result: { height: 600 } },
      { jsonrpc: '2.0', id: 3, result: { opened: false } },
    ]);
    assert.equal(frame.iframe.style.height, '600px');
    assert.deepEqual(outcomes, [['empty', 'draft_expired']]);
    frame.destroy();
  });

  it('ignores messages from another window or origin', async () => {
    const { frame, send, answers } = setup();
    send({ jsonrpc: '2.0', id: 1, method: 'frame.hello', params: { version: 1 } }, { source: fakeWindow() });
    send({ jsonrpc: '2.0', id: 2, method: 'frame.hello', params: { version: 1 } }, { origin: 'https://evil.example' });
    await tick();
    assert.deepEqual(answers(), []);
    frame.destroy();
  });

  it('sends context.update with the current context once ready', async () => {
    const { frame, frameWindow, send, setContext } = setup();
    frame.update();
    assert.deepEqual(frameWindow.posted, []);
    send({ jsonrpc: '2.0', id: 1, method: 'frame.hello', params: { version: 1 } });
    await tick();
    setContext({ placement_key: 'k', session_id: 'pv-desktop-' + 'B'.repeat(22) });
    frame.update();
    const update = frameWindow.posted.find((rpc) => rpc.method === 'context.update');
    assert.equal(update.params.context.session_id, 'pv-desktop-' + 'B'.repeat(22));
    frame.destroy();
  });

  it('keeps an interstitial at its fixed height', async () => {
    const { frame, send } = setup({ view: 'interstitial', height: 560 });
    send({ jsonrpc: '2.0', id: 1, method: 'frame.hello', params: { version: 1, view: 'interstitial' } });
    send({ jsonrpc: '2.0', id: 2, method: 'frame.resize', params: { height: 10 } });
    await tick();
    assert.equal(frame.iframe.style.height, '560px');
    frame.destroy();
    assert.equal(frame.iframe.removed, true);
  });
});
