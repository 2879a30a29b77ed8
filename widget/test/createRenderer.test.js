import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRenderer } from '../frame/createRenderer.js';
import { createVisitTokenStore } from '../frame/createVisitTokenStore.js';
import { createRpcError } from '../rpc/createRpcError.js';

const context = {
  client_id: 'demo', placement_key: 'credit-badge', locale: 'en-GB', purchase_amount: 9900,
  currency: null, session_id: 'a'.repeat(32), theme: 'dark',
};
const badge = { kind: 'badge', html: 'Pay in 4 <strong>£24.75</strong>', text: 'Pay in 4 £24.75' };

function setup({ fetchResult, cached = null, extraParams, visitTokens } = {}) {
  const calls = { fetch: [], show: [], afterRender: 0, stored: [] };
  const doc = { documentElement: { lang: 'en' } };
  const renderer = createRenderer({
    doc,
    clientId: 'demo',
    cache: { get: () => cached, set: (params, result) => calls.stored.push([params, result]) },
    fetchResult: async (params) => {
      calls.fetch.push(params);
      return fetchResult(params);
    },
    show: (result, shown) => calls.show.push([result, shown.theme]),
    afterRender: () => calls.afterRender++,
    extraParams,
    visitTokens,
  });
  return { renderer, calls, doc };
}

describe('createRenderer', () => {
  it('fetches with params that omit null fields, shows, caches and sets lang', async () => {
    const { renderer, calls, doc } = setup({ fetchResult: () => badge });
    await renderer.render(context);
    assert.deepEqual(calls.fetch, [{ client_id: 'demo', placement_key: 'credit-badge', locale: 'en-GB', purchase_amount: 9900, session_id: 'a'.repeat(32), theme: 'dark' }]);
    assert.deepEqual(calls.show, [[badge, 'dark']]);
    assert.equal(calls.stored.length, 1);
    assert.equal(calls.afterRender, 1);
    assert.equal(doc.documentElement.lang, 'en-GB');
  });

  it('uses a cached result without a network call', async () => {
    const { renderer, calls } = setup({ cached: badge, fetchResult: () => assert.fail('fetched') });
    await renderer.render(context);
    assert.deepEqual(calls.show, [[badge, 'dark']]);
  });

  it('shows nothing on an RPC error or an invalid result, and caches neither', async () => {
    for (const fetchResult of [() => { throw createRpcError(-32602); }, () => ({ kind: 'popup' }), () => null]) {
      const { renderer, calls } = setup({ fetchResult });
      await renderer.render(context);
      assert.deepEqual(calls.show, [[null, 'dark']]);
      assert.equal(calls.stored.length, 0);
      assert.equal(calls.afterRender, 1);
    }
  });

  it('shows nothing for a context of another client', async () => {
    const { renderer, calls } = setup({ fetchResult: () => badge });
    await renderer.render({ ...context, client_id: 'other' });
    assert.deepEqual(calls.fetch, []);
    assert.deepEqual(calls.show, [[null, 'dark']]);
  });

  it('applies only the latest of overlapping renders', async () => {
    let release;
    const slow = new Promise((resolve) => (release = resolve));
    const answers = [slow, Promise.resolve({ ...badge, text: 'second' })];
    const { renderer, calls } = setup({ fetchResult: () => answers.shift() });
    const first = renderer.render(context);
    await renderer.render({ ...context, purchase_amount: 5000 });
    release({ ...badge, text: 'first' });
    await first;
    assert.deepEqual(calls.show.map(([result]) => result.text), ['second']);
  });

  it('adds the extra params (the interstitial view) to the request', async () => {
    const interstitial = { kind: 'interstitial', title: 'Pay your way', options: [{ id: 'p4', label: 'Pay in 4', schedule: [] }] };
    const { renderer, calls } = setup({ fetchResult: () => interstitial, extraParams: { view: 'interstitial' } });
    await renderer.render(context);
    assert.equal(calls.fetch[0].view, 'interstitial');
    assert.deepEqual(calls.show, [[interstitial, 'dark']]);
  });

  it('leaves lang alone when the locale is not a language tag', async () => {
    const { renderer, doc } = setup({ fetchResult: () => badge });
    await renderer.render({ ...context, locale: '"><script>' });
    assert.equal(doc.documentElement.lang, 'en');
  });
});

describe('createRenderer params', () => {
  it('sends page_type and country when the placement has them, and never page facts', async () => {
    const calls = [];
    const renderer = createRenderer({
      doc: { documentElement: {} },
      clientId: 'demo',
      cache: { get: () => null, set() {} },
      fetchResult: async (params) => (calls.push(params), { kind: 'empty' }),
      show() {},
      afterRender() {},
    });
    await renderer.render({ ...context, page_type: 'cart', country: 'IE', page_url: 'https://shop.example/cart', theme_vars: null });
    assert.equal(calls[0].page_type, 'cart');
    assert.equal(calls[0].country, 'IE');
    assert.equal('page_url' in calls[0] || 'theme_vars' in calls[0], false);
  });
});

describe('createRenderer outcomes', () => {
  async function outcomeOf(fetchResult, context_ = context) {
    const outcomes = [];
    const renderer = createRenderer({
      doc: { documentElement: {} },
      clientId: 'demo',
      cache: { get: () => null, set() {} },
      fetchResult: async () => fetchResult(),
      show() {},
      afterRender() {},
      onOutcome: (outcome) => outcomes.push(outcome),
    });
    await renderer.render(context_);
    return outcomes;
  }

  it('reports rendered, empty with the server reason, and failures by cause', async () => {
    assert.deepEqual(await outcomeOf(() => badge), [{ state: 'rendered' }]);
    assert.deepEqual(await outcomeOf(() => ({ kind: 'empty', reason: 'outside_amount_range' })), [{ state: 'empty', reason: 'outside_amount_range' }]);
    assert.deepEqual(await outcomeOf(() => ({ kind: 'empty', reason: '<b>' })), [{ state: 'empty', reason: 'no_campaign' }]);
    assert.deepEqual(await outcomeOf(() => { throw createRpcError(-32602, 'locale'); }), [{ state: 'failed', reason: 'invalid_placement' }]);
    assert.deepEqual(await outcomeOf(() => { throw new TypeError('Failed to fetch'); }), [{ state: 'failed', reason: 'bff_unreachable' }]);
    assert.deepEqual(await outcomeOf(() => ({ kind: 'nope' })), [{ state: 'failed', reason: 'invalid_answer' }]);
    assert.deepEqual(await outcomeOf(() => badge, { ...context, client_id: 'other' }), [{ state: 'failed', reason: 'client_mismatch' }]);
  });

  it('sends the visit token it holds (outside the cache key) and keeps the one that comes back', async () => {
    const tokens = createVisitTokenStore(null);
    const first = 'v1.20000.' + 'e'.repeat(40) + '.' + 'A'.repeat(43);
    const second = 'v1.20000.' + 'f'.repeat(40) + '.' + 'B'.repeat(43);
    const answers = [{ ...badge, visit_token: first }, { ...badge, visit_token: second }];
    const { renderer, calls } = setup({ fetchResult: () => answers.shift(), visitTokens: tokens });
    await renderer.render(context);
    await renderer.render({ ...context, purchase_amount: 5000 });
    assert.equal(calls.fetch[0].visit_token, undefined);
    assert.equal(calls.fetch[1].visit_token, first);
    assert.equal(calls.stored[1][0].visit_token, undefined, 'the token never splits the render cache');
    assert.equal(tokens.get('demo', 'a'.repeat(32)), second);
  });

  it('uses a seeded result (the shell\'s first render) only for a render that asks the very same params', async () => {
    const tokens = createVisitTokenStore(null);
    const token = 'v1.20000.' + 'e'.repeat(40) + '.' + 'A'.repeat(43);
    const { renderer, calls } = setup({ fetchResult: () => ({ ...badge, text: 'fetched' }), visitTokens: tokens });
    const seededParams = { client_id: 'demo', placement_key: 'credit-badge', locale: 'en-GB', purchase_amount: 9900, session_id: 'a'.repeat(32), theme: 'dark' };
    renderer.seed(seededParams, { ...badge, text: 'seeded', visit_token: token });
    assert.equal(calls.fetch.length, 0, 'seeding makes no call');
    assert.equal(calls.stored.length, 1, 'the seeded result is cached like an answer');
    assert.equal(tokens.get('demo', 'a'.repeat(32)), token, 'and its visit token kept');
    await renderer.render(context);
    assert.equal(calls.fetch.length, 0, 'the render used the seeded result');
    assert.equal(calls.show[0][0].text, 'seeded');

    renderer.seed({ ...seededParams, purchase_amount: 1 }, { ...badge, text: 'stale' }); // the hello asks another render
    await renderer.render({ ...context, purchase_amount: 2 });
    assert.equal(calls.fetch.length, 1);
    assert.deepEqual(calls.show.map(([result]) => result.text), ['seeded', 'fetched']);
  });

  it('never seeds for another client or with an invalid result', async () => {
    const { renderer, calls } = setup({ fetchResult: () => badge });
    renderer.seed({ ...context, client_id: 'other' }, badge);
    renderer.seed({ client_id: 'demo', session_id: 'a'.repeat(32) }, { kind: 'popup' });
    renderer.seed(null, badge);
    assert.equal(calls.stored.length, 0);
    await renderer.render(context);
    assert.equal(calls.fetch.length, 1);
  });
});
