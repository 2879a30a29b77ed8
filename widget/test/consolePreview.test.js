import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildPreviewContext, NO_DRAFT } from '../console/buildPreviewContext.js';
import { buildPreviewFrameUrl } from '../console/buildPreviewFrameUrl.js';
import { describePreviewOutcome } from '../console/describePreviewOutcome.js';
import { pickPreviewMarket } from '../console/pickPreviewMarket.js';
import { postDraft } from '../console/postDraft.js';
import { readVariantIds } from '../console/readVariantIds.js';
import { listOptionIds } from '../console/listOptionIds.js';
import { toMinorUnits } from '../console/toMinorUnits.js';
import { isPlacementContext } from '../frame/isPlacementContext.js';

const MARKET = { locale: 'sv-SE', currency: 'SEK', country: 'SE' };

describe('buildPreviewContext', () => {
  it('names the draft and the device in the session id, which the frames accept', () => {
    const context = buildPreviewContext({ clientId: 'demo', placementKey: 'credit-badge', market: MARKET, amount: 12300, draftId: 'D'.repeat(22), device: 'mobile', theme: 'dark' });
    assert.deepEqual(context, {
      client_id: 'demo',
      placement_key: 'credit-badge',
      locale: 'sv-SE',
      purchase_amount: 12300,
      currency: 'SEK',
      country: 'SE',
      session_id: 'pv-mobile-' + 'D'.repeat(22),
      theme: 'dark',
    });
    assert.equal(isPlacementContext(context), true);
    assert.match(context.session_id, /^[A-Za-z0-9_-]{16,64}$/);
  });

  it('uses the default theme for light, and a well-formed placeholder before the first draft', () => {
    const context = buildPreviewContext({ clientId: 'demo', placementKey: 'k', market: { locale: 'en-GB', currency: 'GBP' }, amount: 0, draftId: null, device: 'desktop', theme: 'light' });
    assert.equal(context.theme, null);
    assert.equal(context.country, null);
    assert.equal(context.session_id, 'pv-desktop-' + NO_DRAFT);
    assert.equal(NO_DRAFT.length, 22);
  });
});

describe('a chosen variant', () => {
  it('is named in the session id, which stays well formed', () => {
    const base = { clientId: 'demo', placementKey: 'k', market: MARKET, amount: 100, draftId: 'D'.repeat(22), device: 'desktop', theme: 'light' };
    const context = buildPreviewContext({ ...base, variant: 3 });
    assert.equal(context.session_id, 'pv-desktop-v3-' + 'D'.repeat(22));
    assert.equal(isPlacementContext(context), true);
    for (const bad of [null, -1, 10, 1.5, '2']) {
      assert.equal(buildPreviewContext({ ...base, variant: bad }).session_id, 'pv-desktop-' + 'D'.repeat(22), String(bad));
    }
  });

  it('is listed from the form rows that have an id, in row order', () => {
    const entries = [
      ['variants-10-id', 'late'],
      ['variants-1-id', '  bold '],
      ['variants-0-id', 'plain'],
      ['variants-2-id', ''],
      ['variants-3-weight', '5'],
      ['variants-x-id', 'forged'],
      ['name', 'Spring'],
    ];
    assert.deepEqual(readVariantIds(entries), ['plain', 'bold', 'late']);
  });
});

describe('listOptionIds', () => {
  it('lists the ids the form would save, deriving empty ones as the server does', () => {
    const entries = [
      ['options-0-id', 'pay_in_4'],
      ['options-0-type', 'pay_in_n'],
      ['options-0-term', '4'],
      ['options-1-id', ''],
      ['options-1-type', 'financing'],
      ['options-1-term', '12'],
      ['options-2-id', ''],
      ['options-2-type', 'pay_later'],
      ['options-2-term', ''],
      ['options-2-min', '10'],
      ['options-3-id', ''],
      ['options-3-type', 'financing'],
      ['options-3-term', ''],
      ['options-4-id', ' pay_in_4 '],
      ['options-4-term', '4'],
      ['options-x-id', 'forged'],
    ];
    // Row 2 is the third counted row (an empty row 3 is ignored); row 4 repeats an id.
    assert.deepEqual(listOptionIds(entries), ['pay_in_4', 'financing_12', 'pay_later_3']);
  });
});

describe('toMinorUnits', () => {
  const cases = [
    ['49.99', 'GBP', 4999],
    ['49,9', 'EUR', 4990],
    ['1 200', 'SEK', 120000],
    ['100', 'JPY', 100],
    ['1.5', 'JPY', null],
    ['12.345', 'GBP', null],
    ['-5', 'GBP', null],
    ['', 'GBP', null],
    ['ten', 'GBP', null],
  ];
  for (const [text, currency, expected] of cases) {
    it(`${JSON.stringify(text)} ${currency} -> ${expected}`, () => assert.equal(toMinorUnits(text, currency), expected));
  }
});

describe('describePreviewOutcome', () => {
  it('says nothing for a render and why otherwise', () => {
    assert.equal(describePreviewOutcome('rendered'), '');
    assert.equal(describePreviewOutcome('empty', 'draft_expired'), 'Shows nothing: draft expired: type to refresh');
    assert.equal(describePreviewOutcome('failed', 'bff_unreachable'), 'Failed: the server did not answer');
    assert.equal(describePreviewOutcome('empty', 'some_new_reason'), 'Shows nothing: some new reason');
    assert.equal(describePreviewOutcome('empty', 'constructor'), 'Shows nothing: constructor');
    assert.equal(describePreviewOutcome('empty', 42), 'Shows nothing: no reason given');
  });
});

describe('buildPreviewFrameUrl', () => {
  it('keeps the nonce and the parent origin in the fragment', () => {
    const url = buildPreviewFrameUrl({ frameUrl: '/console/m/demo/preview/frame/placement', nonce: 'ab12', parentOrigin: 'https://console.example' });
    assert.equal(url, '/console/m/demo/preview/frame/placement#nonce=ab12&origin=https%3A%2F%2Fconsole.example');
  });
});

describe('postDraft', () => {
  class FakeFormData {
    constructor(form) {
      this.entries = form.entries;
    }
    [Symbol.iterator]() {
      return this.entries[Symbol.iterator]();
    }
  }
  const form = { entries: [['csrf_token', 'tok'], ['copy-en-strip', 'Hi & <b>'], ['locales', 'en'], ['locales', 'sv'], ['logo', { file: true }]] };

  it('posts the form-encoded fields with the CSRF header and reads the answer', async () => {
    const seen = [];
    const fetchFn = async (url, init) => {
      seen.push({ url, init });
      return { ok: true, json: async () => ({ draft_id: 'D'.repeat(22), problems: [] }) };
    };
    const answer = await postDraft({ fetchFn, url: '/draft', form, FormDataClass: FakeFormData });
    assert.deepEqual(answer, { draftId: 'D'.repeat(22), problems: [] });
    assert.equal(seen[0].init.method, 'POST');
    assert.equal(seen[0].init.headers['X-CSRF-Token'], 'tok');
    assert.equal(String(seen[0].init.body), 'csrf_token=tok&copy-en-strip=Hi+%26+%3Cb%3E&locales=en&locales=sv');
  });

  it('keeps only well-formed problems, and rejects an HTTP error', async () => {
    const problems = [{ field: 'amount_min', message: 'must be a number' }, { field: 1 }, null];
    const fetchFn = async () => ({ ok: true, json: async () => ({ draft_id: null, problems }) });
    assert.deepEqual(await postDraft({ fetchFn, url: '/draft', form, FormDataClass: FakeFormData }), { draftId: null, problems: [problems[0]] });
    const refused = async () => ({ ok: false, status: 400 });
    await assert.rejects(postDraft({ fetchFn: refused, url: '/draft', form, FormDataClass: FakeFormData }), /HTTP 400/);
  });
});

describe('pickPreviewMarket', () => {
  const markets = [
    { locale: 'da-DK', country: 'DK' },
    { locale: 'en-GB', country: 'GB' },
    { locale: 'sv-SE', country: 'SE' },
    { locale: 'nb-NO', country: null },
  ];
  it('starts with a targeted country, then a targeted locale or language, else the first', () => {
    assert.equal(pickPreviewMarket(markets, { countries: ['SE', 'GB'], locales: [] }), 1);
    assert.equal(pickPreviewMarket(markets, { countries: [], locales: ['sv'] }), 2);
    assert.equal(pickPreviewMarket(markets, { countries: ['US'], locales: ['nb-NO'] }), 3);
    assert.equal(pickPreviewMarket(markets, { countries: [], locales: [] }), 0);
  });
});
