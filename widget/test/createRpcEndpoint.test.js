import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { createRpcEndpoint } from '../rpc/createRpcEndpoint.js';
import { createMemoryMessengerPair } from '../rpc/createMemoryMessengerPair.js';
import { errorCodes } from '../rpc/errorCodes.js';

const tick = (ms = 5) => new Promise((resolve) => setTimeout(resolve, ms));
/** Waits until `predicate()` holds (a loaded machine may need more than one tick), at most 2 s. */
async function until(predicate) {
  for (const end = Date.now() + 2000; !predicate() && Date.now() < end; ) await tick();
}
const open = [];

/** A served endpoint ("server") and a calling one ("client") joined in memory. */
function connect(serverOptions = {}, clientOptions = {}) {
  const [clientMessenger, serverMessenger] = createMemoryMessengerPair();
  const server = createRpcEndpoint({ messenger: serverMessenger, ...serverOptions });
  const client = createRpcEndpoint({ messenger: clientMessenger, timeoutMs: 200, ...clientOptions });
  open.push(server, client);
  return { server, client, clientMessenger, serverMessenger };
}

/** Sends raw rpc objects from the client side and collects what comes back. */
function rawClient(serverOptions) {
  const [clientMessenger, serverMessenger] = createMemoryMessengerPair();
  open.push(createRpcEndpoint({ messenger: serverMessenger, ...serverOptions }));
  const received = [];
  clientMessenger.onMessage((rpc) => received.push(rpc));
  return { send: (rpc) => clientMessenger.post(rpc), received };
}

afterEach(() => open.splice(0).forEach((endpoint) => endpoint.close()));

describe('createRpcEndpoint', () => {
  it('resolves a call with the handler result', async () => {
    const { client } = connect({ methods: { add: ({ a, b }) => a + b }, allowedMethods: ['add'] });
    assert.equal(await client.call('add', { a: 2, b: 3 }), 5);
  });

  it('awaits async handlers and turns undefined into null', async () => {
    const { client } = connect({ methods: { nothing: async () => undefined }, allowedMethods: ['nothing'] });
    assert.equal(await client.call('nothing'), null);
  });

  it('delivers notifications and never answers them', async () => {
    const seen = [];
    const { send, received } = rawClient({ methods: { ping: (params) => seen.push(params) }, allowedMethods: ['ping'] });
    send({ jsonrpc: '2.0', method: 'ping', params: { n: 1 } });
    await until(() => seen.length > 0);
    await tick();
    assert.deepEqual(seen, [{ n: 1 }]);
    assert.deepEqual(received, []);
  });

  it('sends notify() as a notification without an id', async () => {
    const seen = [];
    const { client } = connect({ methods: { ping: (params) => seen.push(params) }, allowedMethods: ['ping'] });
    client.notify('ping', { n: 2 });
    await until(() => seen.length > 0);
    assert.deepEqual(seen, [{ n: 2 }]);
  });

  it('answers -32601 for a method it does not implement', async () => {
    const { client } = connect({ methods: {}, allowedMethods: ['missing'] });
    await assert.rejects(client.call('missing'), { code: errorCodes.METHOD_NOT_FOUND });
  });

  it('answers -32601 for an implemented method outside the allow-list', async () => {
    let called = false;
    const { client } = connect({ methods: { secret: () => (called = true) }, allowedMethods: ['other'] });
    await assert.rejects(client.call('secret'), { code: errorCodes.METHOD_NOT_FOUND });
    assert.equal(called, false);
  });

  it('serves nothing by default and ignores inherited properties', async () => {
    const { client } = connect({ methods: { open: () => 1 } });
    await assert.rejects(client.call('open'), { code: errorCodes.METHOD_NOT_FOUND });
    const { client: other } = connect({ methods: {}, allowedMethods: ['toString', 'constructor'] });
    await assert.rejects(other.call('toString'), { code: errorCodes.METHOD_NOT_FOUND });
    await assert.rejects(other.call('constructor'), { code: errorCodes.METHOD_NOT_FOUND });
  });

  it('accepts a predicate as allow-list', async () => {
    let open = false;
    const { client } = connect({ methods: { m: () => 'ok' }, allowedMethods: () => open });
    await assert.rejects(client.call('m'), { code: errorCodes.METHOD_NOT_FOUND });
    open = true;
    assert.equal(await client.call('m'), 'ok');
  });

  it('answers -32603 with a generic message when a handler throws', async () => {
    const { send, received } = rawClient({
      methods: { boom: () => { throw new Error('db password is hunter2'); } },
      allowedMethods: ['boom'],
    });
    send({ jsonrpc: '2.0', id: 7, method: 'boom' });
    await until(() => received.length > 0);
    assert.deepEqual(received, [{ jsonrpc: '2.0', id: 7, error: { code: -32603, message: 'Internal error' } }]);
  });

  it('lets a handler reject its params with -32602 only', async () => {
    const invalid = Object.assign(new Error('x'), { code: errorCodes.INVALID_PARAMS });
    const other = Object.assign(new Error('x'), { code: -32000 });
    const { client } = connect({
      methods: { a: () => { throw invalid; }, b: () => { throw other; } },
      allowedMethods: ['a', 'b'],
    });
    await assert.rejects(client.call('a'), { code: -32602, message: 'Invalid params' });
    await assert.rejects(client.call('b'), { code: -32603 });
  });

  it('rejects with TIMEOUT when no answer comes', async () => {
    const [clientMessenger] = createMemoryMessengerPair();
    const client = createRpcEndpoint({ messenger: clientMessenger, timeoutMs: 20 });
    open.push(client);
    await assert.rejects(client.call('anything'), { code: 'TIMEOUT' });
  });

  it('rejects pending calls with CLOSED on close and refuses new ones', async () => {
    const { client } = connect({ methods: { slow: () => new Promise(() => {}) }, allowedMethods: ['slow'] });
    const pending = client.call('slow');
    client.close();
    await assert.rejects(pending, { code: 'CLOSED' });
    await assert.rejects(client.call('slow'), { code: 'CLOSED' });
  });

  it('ignores messages after close', async () => {
    let calls = 0;
    const { send, received } = rawClient({ methods: { m: () => calls++ }, allowedMethods: ['m'] });
    open.pop().close();
    send({ jsonrpc: '2.0', id: 1, method: 'm' });
    await tick();
    assert.equal(calls, 0);
    assert.deepEqual(received, []);
  });

  it('ignores responses with unknown ids', async () => {
    const { client, serverMessenger } = connect({ methods: { slow: () => tick(30).then(() => 'late') }, allowedMethods: ['slow'] });
    const call = client.call('slow');
    serverMessenger.post({ jsonrpc: '2.0', id: 999, result: 'stray' });
    serverMessenger.post({ jsonrpc: '2.0', id: 'nope', error: { code: 1, message: 'stray' } });
    assert.equal(await call, 'late');
  });

  it('answers -32600 to an invalid request that has an id', async () => {
    const { send, received } = rawClient({ methods: { m: () => 1 }, allowedMethods: ['m'] });
    send({ jsonrpc: '1.0', id: 1, method: 'm' });
    send({ jsonrpc: '2.0', id: 2, method: 42 });
    send({ jsonrpc: '2.0', id: 3, method: 'm', params: 'not structured' });
    // Replies travel through queued tasks: wait for them (bounded) rather than one tick,
    // which a busy machine may not give in time.
    for (let waited = 0; received.length < 3 && waited < 2000; waited += 10) await tick(10);
    assert.deepEqual(
      received.map((rpc) => [rpc.id, rpc.error.code]),
      [[1, -32600], [2, -32600], [3, -32600]],
    );
  });

  it('drops malformed messages without answering or throwing', async () => {
    let calls = 0;
    const { send, received } = rawClient({ methods: { m: () => calls++ }, allowedMethods: ['m'] });
    for (const junk of [[], 'text', 42, null, {}, { jsonrpc: '2.0' }, { jsonrpc: '2.0', method: 42 },
      { jsonrpc: '2.0', id: { x: 1 }, method: 'm' }, { jsonrpc: '2.0', id: null, method: 'm' },
      { jsonrpc: '2.0', id: 1, result: 1, error: { code: 1, message: 'x' } }, { jsonrpc: '2.0', id: 1, error: 'x' }]) {
      send(junk);
    }
    await tick();
    assert.equal(calls, 0);
    assert.deepEqual(received, []);
  });

  it('gives every outgoing call its own id', async () => {
    const [clientMessenger, serverMessenger] = createMemoryMessengerPair();
    const ids = [];
    serverMessenger.onMessage((rpc) => ids.push(rpc.id));
    const client = createRpcEndpoint({ messenger: clientMessenger, timeoutMs: 10 });
    open.push(client);
    const calls = [client.call('a'), client.call('b'), client.call('c')];
    await Promise.allSettled(calls);
    assert.equal(new Set(ids).size, 3);
  });

  it('passes remote error codes and messages to the caller', async () => {
    const [clientMessenger, serverMessenger] = createMemoryMessengerPair();
    serverMessenger.onMessage((rpc) => serverMessenger.post({ jsonrpc: '2.0', id: rpc.id, error: { code: -32000, message: 'Nope' } }));
    const client = createRpcEndpoint({ messenger: clientMessenger, timeoutMs: 200 });
    open.push(client);
    await assert.rejects(client.call('m'), { code: -32000, message: 'Nope' });
  });
});
