import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyThemeVars } from '../frame/applyThemeVars.js';

function element() {
  const props = new Map();
  return { props, style: { setProperty: (n, v) => props.set(n, v), removeProperty: (n) => props.delete(n) } };
}

describe('applyThemeVars', () => {
  it('sets known properties with safe values', () => {
    const el = element();
    applyThemeVars(el, { '--onsite-accent': 'rgb(200, 30, 60)', '--onsite-bg': '#fffbe6', '--onsite-radius': '4px', '--onsite-fg': 'navy' });
    assert.deepEqual(Object.fromEntries(el.props), {
      '--onsite-fg': 'navy', '--onsite-bg': '#fffbe6', '--onsite-accent': 'rgb(200, 30, 60)', '--onsite-radius': '4px',
    });
  });

  it('drops unknown names and anything that could load or inject, and clears what is not given', () => {
    const el = element();
    applyThemeVars(el, { '--onsite-fg': 'red' });
    applyThemeVars(el, {
      '--onsite-bg': 'url(https://evil.example/x.png)', '--onsite-accent': 'red; background: url(x)', '--onsite-focus': 'expression(alert(1))',
      '--onsite-border': 'var(--x)', '--other': 'red', '--onsite-radius': '1e9px',
    });
    assert.deepEqual(Object.fromEntries(el.props), {});
    applyThemeVars(el, null);
    assert.deepEqual(Object.fromEntries(el.props), {});
  });
});
