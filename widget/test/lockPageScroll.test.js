import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lockPageScroll } from '../loader/lockPageScroll.js';

const page = ({ innerWidth, clientWidth, overflow = '' }) => {
  const style = { overflow, scrollbarGutter: '' };
  return { doc: { documentElement: { style, clientWidth } }, win: { innerWidth }, style };
};

describe('lockPageScroll', () => {
  it('hides overflow, keeps a classic scrollbar gutter, and restores both', () => {
    const { doc, win, style } = page({ innerWidth: 1280, clientWidth: 1265, overflow: 'auto' });
    const unlock = lockPageScroll(doc, win);
    assert.deepEqual(style, { overflow: 'hidden', scrollbarGutter: 'stable' });
    unlock();
    assert.deepEqual(style, { overflow: 'auto', scrollbarGutter: '' });
  });

  it('leaves the gutter alone without a classic scrollbar', () => {
    const { doc, win, style } = page({ innerWidth: 390, clientWidth: 390 });
    lockPageScroll(doc, win);
    assert.deepEqual(style, { overflow: 'hidden', scrollbarGutter: '' });
  });
});
