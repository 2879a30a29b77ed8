import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { postJsonRpc } from '../frame/postJsonRpc.js';

function fakeFetch(respond) {
  const requests = [];
  const fetchFn = async (url, init) => {
    requests.push({ url, init, body: JSON.parse(init.body) });
    return respond(JSON.parse(init.body), init);
  };
  return { fetchFn, requests };
}

const reply = (body, status = 200) => ({ ok: status >= 200 && status < 300, status, json: async () => body });

describe('postJsonRpc', () => {
  it('POSTs a JSON-RPC request as application/json and resolves with the result', async () => {
    const { fetchFn, requests } = fakeFetch((body) => reply({ jsonrpc: '2.0', id: body.id, result: { kind: 'empty' } }));
    const result = await postJsonRpc({ fetchFn, url: '/rpc', method: 'placements.render', params: { a: 1 } });
    assert.deepEqual(result, { kind: 'empty' });
    const [{ url, init, body }] = requests;
    assert.equal(url, '/rpc');
    assert.equal(init.method, 'POST');
    assert.equal(init.headers['Content-Type'], 'application/json');
    assert.deepEqual({ ...body, id: 0 }, { jsonrpc: '2.0', id: 0, method: 'placements.render', params: { a: 1 } });
  });

  it('rejects with the JSON-RPC error code', async () => {
    const { fetchFn } = fakeFetch((body) => reply({ jsonrpc: '2.0', id: body.id, error: { code: -32602, message: 'Invalid params' } }));
    await assert.rejects(postJsonRpc({ fetchFn, url: '/rpc', method: 'm', params: {} }), { code: -32602 });
  });

  it('rejects on HTTP errors, mismatched ids and network failures', async () => {
    const cases = [
      () => reply({}, 500),
      (body) => reply({ jsonrpc: '2.0', id: body.id + 1, result: 1 }),
      () => reply(null),
      () => { throw new TypeError('Failed to fetch'); },
    ];
    for (const respond of cases) {
      await assert.rejects(postJsonRpc({ fetchFn: fakeFetch(respond).fetchFn, url: '/rpc', method: 'm', params: {} }));
    }
  });

  it('rejects with TIMEOUT when the server does not answer in time', async () => {
    const fetchFn = (url, init) => new Promise((resolve, reject) => {
      init.signal.addEventListener('abort', () => reject(new Error('aborted')));
    });
    await assert.rejects(postJsonRpc({ fetchFn, url: '/rpc', method: 'm', params: {}, timeoutMs: 10 }), { code: 'TIMEOUT' });
  });
});
