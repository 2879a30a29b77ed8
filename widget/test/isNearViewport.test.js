import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isNearViewport } from '../loader/isNearViewport.js';

const element = (top, height, width = 300) => ({ getBoundingClientRect: () => ({ top, bottom: top + height, height, width }) });
const win = { innerHeight: 800 };

describe('isNearViewport', () => {
  it('is true in the viewport and within 400px of it', () => {
    assert.equal(isNearViewport(element(100, 40), win), true);
    assert.equal(isNearViewport(element(1150, 40), win), true);
    assert.equal(isNearViewport(element(-420, 40), win), true);
    assert.equal(isNearViewport(element(300, 0), win), true, 'a placement with no height yet');
  });

  it('is false far away and for elements that are not rendered', () => {
    assert.equal(isNearViewport(element(1250, 40), win), false);
    assert.equal(isNearViewport(element(-500, 40), win), false);
    assert.equal(isNearViewport(element(0, 0, 0), win), false, 'display: none');
  });
});
