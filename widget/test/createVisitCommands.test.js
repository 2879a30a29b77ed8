import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createVisitCommands } from '../loader/createVisitCommands.js';
import { createPublicApi } from '../loader/createPublicApi.js';

function fakePage() {
  const posts = [];
  const win = {
    location: { origin: 'https://shop.example', pathname: '/thanks', search: '?utm_source=news&order=1' },
    fetch: async (url, init) => { posts.push({ url, init, body: JSON.parse(init.body) }); return {}; },
  };
  const doc = { referrer: 'https://search.example/q?x' };
  const commands = createVisitCommands({ win, doc, clientId: 'demo', bffOrigin: 'https://onsite.example', visitId: () => 'f'.repeat(32) });
  return { posts, win, commands };
}

describe('createVisitCommands', () => {
  it('getVisit calls back with the visit id', () => {
    const { commands } = fakePage();
    const seen = [];
    commands.getVisit((visit) => seen.push(visit));
    assert.deepEqual(seen, [{ visit_id: 'f'.repeat(32) }]);
  });

  it('getVisit contains a callback that throws, and ignores a non-function', () => {
    const { commands } = fakePage();
    assert.doesNotThrow(() => commands.getVisit(() => { throw new Error('merchant bug'); }));
    assert.doesNotThrow(() => commands.getVisit('nope'));
  });

  it('order posts one client order_created to /rpc/collect as a CORS-simple notification', async () => {
    const { commands, posts } = fakePage();
    await commands.order({ order_id: 'ORD-1', amount: 12900, currency: 'GBP', payment_method: 'card', email: 'a@b.example' });
    const [{ url, init, body }] = posts;
    assert.equal(url, 'https://onsite.example/rpc/collect');
    assert.equal(init.method, 'POST');
    assert.equal(init.mode, 'no-cors');
    assert.equal(init.keepalive, true);
    assert.equal('headers' in init, false); // a string body is text/plain: no preflight
    assert.equal(body.method, 'events.track');
    assert.equal('id' in body, false);
    const [event] = body.params.events;
    assert.match(event.id, /^[0-9a-f]{32}$/);
    assert.equal(typeof event.ts, 'number');
    const { id, ts, ...rest } = event;
    assert.deepEqual(rest, {
      type: 'order_created', source: 'client', client_id: 'demo', visit_id: 'f'.repeat(32),
      order_id: 'ORD-1', amount: 12900, currency: 'GBP', payment_method: 'card',
      page_url: 'https://shop.example/thanks', referrer: 'https://search.example', utm_source: 'news', utm_medium: null,
    });
  });

  it('order sends nothing for a non-object', async () => {
    const { commands, posts } = fakePage();
    commands.order(null);
    commands.order('ORD-1');
    assert.equal(posts.length, 0);
  });

  it('through the public API, a failing network never reaches the page', async () => {
    const { win, commands } = fakePage();
    win.fetch = async () => { throw new TypeError('offline'); };
    const api = createPublicApi({ ...commands, refresh() {}, consent() {}, identify() {}, on() {}, off() {} }, [['order', { order_id: 'A' }]]);
    assert.doesNotThrow(() => api.push(['order', { order_id: 'B' }]));
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
});
