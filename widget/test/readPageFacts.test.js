import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readPageFacts } from '../loader/readPageFacts.js';

const win = (href) => {
  const url = new URL(href);
  return { location: { origin: url.origin, pathname: url.pathname, search: url.search } };
};

describe('readPageFacts', () => {
  it('keeps origin and path, the referrer origin and the utm values', () => {
    const facts = readPageFacts(win('https://shop.example/p/chair?utm_source=news&utm_medium=email&email=a@b.c#x'), {
      referrer: 'https://search.example/results?q=chair',
    });
    assert.deepEqual(facts, {
      page_url: 'https://shop.example/p/chair',
      referrer: 'https://search.example',
      utm_source: 'news',
      utm_medium: 'email',
    });
  });

  it('gives nulls when there is nothing to tell', () => {
    assert.deepEqual(readPageFacts(win('https://shop.example/'), { referrer: '' }), {
      page_url: 'https://shop.example/', referrer: null, utm_source: null, utm_medium: null,
    });
    assert.equal(readPageFacts(win('https://shop.example/'), { referrer: 'not a url' }).referrer, null);
  });
});
