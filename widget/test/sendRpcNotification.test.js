import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sendRpcNotification } from '../frame/sendRpcNotification.js';

describe('sendRpcNotification', () => {
  it('posts a JSON-RPC notification (no id) with keepalive', async () => {
    const calls = [];
    await sendRpcNotification({ fetchFn: async (...args) => calls.push(args), url: '/rpc', method: 'events.track', params: { events: [1] } });
    const [[url, init]] = calls;
    assert.equal(url, '/rpc');
    assert.equal(init.method, 'POST');
    assert.equal(init.keepalive, true);
    assert.deepEqual(JSON.parse(init.body), { jsonrpc: '2.0', method: 'events.track', params: { events: [1] } });
  });

  it('never rejects', async () => {
    await sendRpcNotification({ fetchFn: async () => { throw new TypeError('offline'); }, url: '/rpc', method: 'm', params: {} });
  });
});
