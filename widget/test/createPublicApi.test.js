import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createPublicApi } from '../loader/createPublicApi.js';

describe('createPublicApi', () => {
  it('exposes refresh()', () => {
    let refreshes = 0;
    const api = createPublicApi({ refresh: () => refreshes++ }, undefined);
    api.refresh();
    assert.equal(refreshes, 1);
  });

  it('replays queued commands and keeps push() working afterwards', () => {
    let refreshes = 0;
    const api = createPublicApi({ refresh: () => refreshes++ }, [['refresh'], ['unknown'], 'junk', ['refresh']]);
    assert.equal(refreshes, 2);
    api.push(['refresh']);
    api.push(['constructor']);
    assert.equal(refreshes, 3);
  });
});
