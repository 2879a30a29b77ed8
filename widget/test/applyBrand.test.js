import assert from 'node:assert/strict';
import { test } from 'node:test';
import { brandOf } from '../frame/applyBrand.js';

const brand = {
  vars: { '--onsite-accent': '#0a7d3b', '--onsite-fg': '#101010', '--onsite-bg': '#ffffff', '--onsite-radius': '4px' },
  font: 'system',
  logo_url: 'https://shop.example/logo.svg',
};

test('a light theme takes every brand variable, the font and the logo', () => {
  assert.deepEqual(brandOf({ kind: 'badge', brand }, 'default', null), {
    vars: brand.vars,
    font: 'system',
    logoUrl: 'https://shop.example/logo.svg',
  });
});

test('a dark theme keeps its own colours but takes the radius and the font', () => {
  const applied = brandOf({ kind: 'badge', brand }, 'dark', null);
  assert.deepEqual(applied.vars, { '--onsite-radius': '4px' });
  assert.equal(applied.font, 'system');
});

test("the page's own theme variables win over the brand", () => {
  const applied = brandOf({ kind: 'badge', brand }, 'default', { '--onsite-accent': 'rebeccapurple' });
  assert.equal(applied.vars['--onsite-accent'], 'rebeccapurple');
  assert.equal(applied.vars['--onsite-fg'], '#101010');
});

test('no result, no brand, or a hostile brand gives the defaults', () => {
  assert.deepEqual(brandOf(null, 'default', undefined), { vars: {}, font: 'inter', logoUrl: '' });
  assert.deepEqual(brandOf({ kind: 'badge', brand: 'x' }, 'default', null), { vars: {}, font: 'inter', logoUrl: '' });
  const hostile = { vars: { '--onsite-bg': 42 }, font: 'comic', logo_url: 'javascript:alert(1)' };
  assert.deepEqual(brandOf({ kind: 'badge', brand: hostile }, 'default', null), { vars: {}, font: 'inter', logoUrl: '' });
  assert.equal(brandOf({ kind: 'badge', brand: { logo_url: 'http://plain.example/l.png' } }, 'default', null).logoUrl, '');
  assert.equal(brandOf({ kind: 'badge', brand: { logo_url: 'https://x.example/"><script>' } }, 'default', null).logoUrl, '');
});
