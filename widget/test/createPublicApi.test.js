import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createPublicApi } from '../loader/createPublicApi.js';

function recordingActions() {
  const calls = [];
  const record = (name) => (...args) => {
    calls.push([name, ...args]);
    return name === 'on' ? () => calls.push(['unsubscribed']) : undefined;
  };
  return { calls, actions: Object.fromEntries(['refresh', 'consent', 'identify', 'on', 'off', 'getVisit', 'order'].map((n) => [n, record(n)])) };
}

describe('createPublicApi', () => {
  it('exposes refresh, consent, identify, on and off', () => {
    const { calls, actions } = recordingActions();
    const api = createPublicApi(actions, undefined);
    const callback = () => {};
    api.refresh();
    api.consent(true);
    api.identify('c-42');
    const off = api.on('impression', callback);
    api.off('impression', callback);
    off();
    assert.deepEqual(calls, [['refresh'], ['consent', true], ['identify', 'c-42'], ['on', 'impression', callback], ['off', 'impression', callback], ['unsubscribed']]);
    assert.equal(api.version, 1);
  });

  it('replays queued commands in order and keeps push() working afterwards', () => {
    const { calls, actions } = recordingActions();
    const callback = () => {};
    const api = createPublicApi(actions, [['on', 'click', callback], ['refresh'], ['unknown'], 'junk', ['consent', false]]);
    assert.deepEqual(calls, [['on', 'click', callback], ['refresh'], ['consent', false]]);
    api.push(['identify', null]);
    api.push(['constructor']);
    api.push(['push', ['refresh']]);
    assert.deepEqual(calls.at(-1), ['identify', null]);
    assert.equal(calls.length, 4);
  });

  it('runs getVisit and order by name, queued or pushed later', () => {
    const { calls, actions } = recordingActions();
    const callback = () => {};
    const api = createPublicApi(actions, [['getVisit', callback]]);
    api.push(['order', { order_id: 'ORD-1' }]);
    assert.deepEqual(calls, [['getVisit', callback], ['order', { order_id: 'ORD-1' }]]);
  });

  it('never throws into the page', () => {
    const api = createPublicApi({ refresh() { throw new Error('boom'); } }, undefined);
    assert.doesNotThrow(() => api.refresh());
    assert.doesNotThrow(() => api.push(['refresh']));
    assert.doesNotThrow(() => api.on('click', () => {}));
  });
});
