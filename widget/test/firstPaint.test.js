import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { badgeFields, ctaLabelOf } from '../frame/badgeFields.js';
import { parseHashParams } from '../frame/parseHashParams.js';
import { findFirstRender, readFirstRender } from '../frame/readFirstRender.js';
import { readHashJson, readHashVars } from '../frame/readHashVars.js';
import { buildFrameUrl } from '../loader/buildFrameUrl.js';
import { createPaintMemory } from '../loader/createPaintMemory.js';
import { firstPaintOf } from '../loader/firstPaintOf.js';

const NONCE = 'a'.repeat(32);
const SESSION = 'b'.repeat(32);
const context = {
  client_id: 'demo', placement_key: 'credit-badge', locale: 'en-GB', purchase_amount: 9900, session_id: SESSION,
  currency: 'GBP', theme: null, page_type: 'product', country: null, consent: false, page_url: 'https://shop.example/p?email=x',
  referrer: null, customer_token: null, theme_vars: {},
};
const badge = { kind: 'badge', html: 'Pay in 4 <strong>£24.75</strong>', text: 'Pay in 4 £24.75' };

/** A document holding `json` as the shell's first render. */
const docWith = (json) => ({ getElementById: (id) => (id === 'onsite-first-render' && json !== null ? { textContent: json } : null) });

describe('firstPaintOf', () => {
  it('holds the render params the frame would send, and no page facts', () => {
    assert.deepEqual(firstPaintOf(context), {
      params: { client_id: 'demo', placement_key: 'credit-badge', locale: 'en-GB', purchase_amount: 9900, session_id: SESSION, currency: 'GBP', page_type: 'product', consent: { personalization: false } },
      vars: null,
    });
  });

  it('is null when the render would carry a customer token, or without a context', () => {
    assert.equal(firstPaintOf({ ...context, consent: true, customer_token: 'signed.token' }), null);
    assert.equal(firstPaintOf(null), null);
    assert.notEqual(firstPaintOf({ ...context, consent: false, customer_token: 'signed.token' }), null, 'without consent the token is not sent');
  });

  it('keeps the page theme variables apart from the params', () => {
    assert.deepEqual(firstPaintOf({ ...context, theme_vars: { '--onsite-fg': '#111' } }).vars, { '--onsite-fg': '#111' });
  });
});

describe('buildFrameUrl with a first paint', () => {
  it('puts the params in the query and the nonce, origin and theme variables in the fragment', () => {
    const firstPaint = firstPaintOf({ ...context, theme_vars: { '--onsite-fg': '#111' } });
    const url = new URL(buildFrameUrl({ bffOrigin: 'https://bff.example', clientId: 'demo', nonce: NONCE, parentOrigin: 'https://shop.example', firstPaint }));
    assert.equal(url.pathname, '/frame/placement');
    assert.deepEqual(JSON.parse(url.searchParams.get('render')), firstPaint.params);
    assert.ok(!url.search.includes('nonce') && !url.search.includes('shop.example') && !url.search.includes('onsite-fg'));
    assert.deepEqual(parseHashParams(url.hash), { nonce: NONCE, origin: 'https://shop.example' });
    assert.deepEqual(readHashVars(url.hash), { '--onsite-fg': '#111' });
    assert.ok(!url.href.includes('email'), 'page facts stay out of the URL');
  });

  it('puts the params in the fragment when the frame paints from its cache', () => {
    const firstPaint = firstPaintOf(context);
    const url = new URL(buildFrameUrl({ bffOrigin: 'https://bff.example', clientId: 'demo', nonce: NONCE, parentOrigin: 'https://shop.example', firstPaint, paintFrom: 'cache' }));
    assert.equal(url.search, '?client_id=demo', 'the public, cacheable shell');
    assert.deepEqual(readHashJson(url.hash, 'render'), firstPaint.params);
    assert.deepEqual(parseHashParams(url.hash), { nonce: NONCE, origin: 'https://shop.example' });
  });

  it('never writes a first render into an interstitial URL', () => {
    const url = buildFrameUrl({ bffOrigin: 'https://bff.example', clientId: 'demo', nonce: NONCE, parentOrigin: 'https://shop.example', view: 'interstitial', firstPaint: firstPaintOf(context) });
    assert.equal(url, `https://bff.example/frame/interstitial?client_id=demo#nonce=${NONCE}&origin=https%3A%2F%2Fshop.example`);
  });
});

describe('readHashVars', () => {
  it('reads an object of strings and nothing else', () => {
    assert.deepEqual(readHashVars('#nonce=x&vars=' + encodeURIComponent('{"--a":"1"}')), { '--a': '1' });
    for (const hash of ['', '#vars=', '#vars=%7B', '#vars=' + encodeURIComponent('[1]'), '#vars=' + encodeURIComponent('{"--a":1}'),
      '#vars=' + encodeURIComponent('null'), '#vars=' + encodeURIComponent(JSON.stringify({ '--a': 'x'.repeat(3000) })), undefined]) {
      assert.equal(readHashVars(hash), null, String(hash).slice(0, 40));
    }
  });
});

describe('readFirstRender', () => {
  const params = firstPaintOf(context).params;

  it('reads the params and result the server embedded', () => {
    assert.deepEqual(readFirstRender(docWith(JSON.stringify({ params, result: badge })), 'demo'), { params, result: badge });
  });

  it('is null when absent, malformed, for another client or not a render result', () => {
    for (const json of [null, '', '{', 'null', '[]', JSON.stringify({ params, result: { kind: 'popup' } }), JSON.stringify({ params: { ...params, client_id: 'other' }, result: badge }),
      JSON.stringify({ params: { ...params, session_id: 7 }, result: badge }), JSON.stringify({ result: badge }), JSON.stringify({ params, result: badge, pad: 'x'.repeat(70000) })]) {
      assert.equal(readFirstRender(docWith(json), 'demo'), null, String(json).slice(0, 60));
    }
  });
});

describe('findFirstRender', () => {
  const params = firstPaintOf(context).params;
  const cacheWith = (entries) => ({ get: (asked) => entries.find(([p]) => JSON.stringify(p) === JSON.stringify(asked))?.[1] ?? null });
  const hashOf = (value) => '#nonce=' + NONCE + '&render=' + encodeURIComponent(JSON.stringify(value));

  it('prefers the render the server embedded, then the frame\'s cached render of the fragment\'s params', () => {
    const cache = cacheWith([[params, { ...badge, text: 'cached' }]]);
    const served = findFirstRender({ doc: docWith(JSON.stringify({ params, result: badge })), hash: hashOf(params), clientId: 'demo', cache });
    assert.deepEqual(served, { params, result: badge, served: true });
    const cached = findFirstRender({ doc: docWith(null), hash: hashOf(params), clientId: 'demo', cache });
    assert.deepEqual(cached, { params, result: { ...badge, text: 'cached' }, served: false });
  });

  it('is null without a cached render, for another client, or without params', () => {
    const cache = cacheWith([[params, badge], [{ ...params, client_id: 'other' }, badge]]);
    for (const hash of [hashOf({ ...params, purchase_amount: 1 }), hashOf({ ...params, client_id: 'other' }), '#nonce=' + NONCE, hashOf([params])]) {
      assert.equal(findFirstRender({ doc: docWith(null), hash, clientId: 'demo', cache }), null, hash.slice(0, 60));
    }
  });
});

describe('badgeFields', () => {
  it('describes a badge and an empty result the same way the view model shows them', () => {
    assert.deepEqual(badgeFields({ ...badge, compact_html: '4 × £24.75', cta: 'More', theme: 'dark' }, 'light'), {
      kind: 'badge', html: badge.html, compactHtml: '4 × £24.75', text: badge.text, cta: 'More', theme: 'dark',
    });
    assert.deepEqual(badgeFields({ kind: 'empty' }, 'light'), { kind: 'empty', html: '', compactHtml: '', text: '', cta: 'Learn more', theme: 'light' });
    assert.equal(badgeFields({ ...badge, theme: 'Bad Theme!' }, null).theme, 'default');
    assert.equal(ctaLabelOf('Learn more', 'Pay in 4'), 'Learn more: Pay in 4');
    assert.equal(ctaLabelOf('Learn more', ''), 'Learn more');
  });
});

describe('createPaintMemory', () => {
  const memoryStorage = () => {
    const items = new Map();
    return { getItem: (key) => (items.has(key) ? items.get(key) : null), setItem: (key, value) => items.set(key, String(value)), items };
  };

  it('remembers the first paints asked for in this visit, the latest 32', () => {
    const storage = memoryStorage();
    const paints = createPaintMemory(storage);
    const first = firstPaintOf(context);
    assert.equal(paints.has(first), false);
    paints.add(first);
    assert.equal(paints.has(first), true);
    assert.equal(createPaintMemory(storage).has(first), true, 'the next page of the visit knows it');
    assert.equal(paints.has(firstPaintOf({ ...context, purchase_amount: 100 })), false);
    for (let amount = 1; amount <= 32; amount++) paints.add(firstPaintOf({ ...context, purchase_amount: amount }));
    assert.equal(paints.has(first), false, 'the oldest is forgotten');
    assert.equal(JSON.parse(storage.items.get('onsite.painted')).length, 32);
  });

  it('treats missing, blocked or tampered storage as remembering nothing', () => {
    const first = firstPaintOf(context);
    for (const storage of [null, { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('denied'); } }, { getItem: () => '{"x":1}', setItem() {} }]) {
      const paints = createPaintMemory(storage);
      paints.add(first);
      assert.equal(paints.has(first), false);
    }
  });
});
