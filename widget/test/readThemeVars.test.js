import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readThemeVars } from '../loader/readThemeVars.js';

const win = (values) => ({ getComputedStyle: () => ({ getPropertyValue: (name) => values[name] || '' }) });
const element = (theme) => ({ getAttribute: (name) => (name === 'data-theme' ? theme : null) });

describe('readThemeVars', () => {
  it('reads the known custom properties, trimmed, for the custom theme', () => {
    const vars = readThemeVars(element('custom'), win({ '--onsite-accent': ' #c81e3c ', '--onsite-radius': '4px', '--other': 'x' }));
    assert.deepEqual(vars, { '--onsite-accent': '#c81e3c', '--onsite-radius': '4px' });
  });

  it('is null for other themes', () => {
    assert.equal(readThemeVars(element('dark'), win({ '--onsite-accent': 'red' })), null);
    assert.equal(readThemeVars(element(null), win({})), null);
  });
});
