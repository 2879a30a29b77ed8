import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTracker } from '../frame/createTracker.js';

function fakeWindow() {
  const listeners = {};
  const fetches = [];
  const win = {
    fetch: async (url, init) => { fetches.push({ url, body: JSON.parse(init.body) }); return { ok: true }; },
    addEventListener: (type, fn) => { listeners[type] = fn; },
    document: { hidden: false, addEventListener: () => {} },
  };
  return { win, fetches, hide: () => listeners.pagehide() };
}

const context = {
  client_id: 'demo', placement_key: 'credit-badge', locale: 'en-GB', purchase_amount: 9900, session_id: 'a'.repeat(32),
};

describe('createTracker', () => {
  it('sends the batch to the URL it is given (the collect URL) as an events.track notification', async () => {
    const { win, fetches, hide } = fakeWindow();
    const track = createTracker({ win, url: '/rpc/collect' });
    track('impression', context, { currency: 'GBP', campaign_id: 'c1', variant: 'A' });
    track('click', context);
    hide();
    await Promise.resolve();
    assert.equal(fetches.length, 1);
    assert.equal(fetches[0].url, '/rpc/collect');
    assert.equal(fetches[0].body.method, 'events.track');
    assert.equal('id' in fetches[0].body, false);
    assert.deepEqual(fetches[0].body.params.events.map((event) => event.type), ['impression', 'click']);
    assert.deepEqual(fetches[0].body.params.events.map((event) => [event.currency, event.variant]), [['GBP', 'A'], [null, undefined]]);
  });
});
