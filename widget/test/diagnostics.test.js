import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildOverlayLabel } from '../debug/buildOverlayLabel.js';
import { checkFrameAccess } from '../loader/checkFrameAccess.js';
import { createEventBus } from '../loader/createEventBus.js';
import { createOutcomeReporter } from '../loader/createOutcomeReporter.js';
import { describeOutcome } from '../loader/describeOutcome.js';

const facts = { clientId: 'demo', pageOrigin: 'https://shop.example', bffOrigin: 'https://onsite.example' };
const context = {
  client_id: 'demo', placement_key: 'credit-badge', locale: 'ja-JP', purchase_amount: 1900, currency: null,
  session_id: 'a'.repeat(32), customer_token: 'h.p.s', page_url: 'https://shop.example/p',
};

function fakeElement() {
  const attributes = new Map();
  return {
    attributes,
    getAttribute: (name) => (attributes.has(name) ? attributes.get(name) : null),
    setAttribute: (name, value) => attributes.set(name, String(value)),
    removeAttribute: (name) => attributes.delete(name),
  };
}

describe('describeOutcome', () => {
  it('says what to do for each cause, and names the placement for the server reasons', () => {
    const text = (reason) => describeOutcome(reason, { ...facts, context });
    assert.equal(text('unknown_client'), '[onsite] unknown_client: check data-client-id="demo"');
    assert.equal(
      text('origin_not_allowed'),
      '[onsite] origin_not_allowed: allow https://shop.example in https://onsite.example/console/m/demo/settings',
    );
    assert.equal(text('bff_unreachable'), '[onsite] bff_unreachable: https://onsite.example did not answer');
    assert.equal(text('frame_timeout'), '[onsite] frame_timeout: allow https://onsite.example in your CSP frame-src');
    assert.equal(text('outside_amount_range'), '[onsite] outside_amount_range: credit-badge ja-JP 1900');
  });
});

describe('createOutcomeReporter', () => {
  function setup() {
    const warnings = [];
    const events = [];
    const bus = createEventBus();
    for (const type of ['rendered', 'empty', 'failed']) bus.on(type, (detail) => events.push(detail));
    const report = createOutcomeReporter({ emit: bus.emit, warn: (text) => warnings.push(text), facts });
    return { report, warnings, events };
  }

  it('sets the state and reason, emits the event with public facts only, warns once per reason', () => {
    const { report, warnings, events } = setup();
    const [first, second] = [fakeElement(), fakeElement()];
    report(first, context, 'empty', 'no_eligible_campaign');
    report(second, context, 'empty', 'no_eligible_campaign');
    assert.equal(first.getAttribute('data-onsite-state'), 'empty');
    assert.equal(first.getAttribute('data-onsite-reason'), 'no_eligible_campaign');
    assert.deepEqual(events[0], {
      type: 'empty', placement_key: 'credit-badge', purchase_amount: 1900, currency: null, locale: 'ja-JP', reason: 'no_eligible_campaign',
    });
    assert.equal(events.length, 2);
    assert.deepEqual(warnings, ['[onsite] no_eligible_campaign: credit-badge ja-JP 1900']);
  });

  it('emits only when the outcome changes, and clears the reason once rendered', () => {
    const { report, warnings, events } = setup();
    const element = fakeElement();
    report(element, context, 'failed', 'origin_not_allowed');
    report(element, context, 'failed', 'origin_not_allowed');
    report(element, context, 'rendered');
    report(element, context, 'rendered');
    assert.deepEqual(events.map((e) => [e.type, e.reason]), [['failed', 'origin_not_allowed'], ['rendered', undefined]]);
    assert.equal(element.getAttribute('data-onsite-reason'), null);
    assert.equal(warnings.length, 1);
  });

  it('ignores unknown states and drops malformed reasons', () => {
    const { report, warnings, events } = setup();
    const element = fakeElement();
    report(element, context, 'exploded', 'x');
    report(element, context, 'empty', '<img src=x>');
    assert.deepEqual(events.map((e) => [e.type, 'reason' in e]), [['empty', false]]);
    assert.equal(element.getAttribute('data-onsite-reason'), null);
    assert.deepEqual(warnings, []);
  });
});

describe('checkFrameAccess', () => {
  // A fake document whose script "loads" as `answer` says: a cause, 'error', or 'hang'.
  function check(answer, setTimer = () => {}) {
    const added = [];
    const doc = {
      head: {
        appendChild(script) {
          added.push(script);
          if (answer === 'error') script.onerror();
          else if (answer !== 'hang') {
            if (answer !== null) script.attributes.set('data-onsite-cause', answer);
            script.onload();
          }
        },
      },
      createElement: () => {
        const script = fakeElement();
        script.removed = false;
        script.remove = () => (script.removed = true);
        return script;
      },
    };
    const result = checkFrameAccess({ doc, setTimer, bffOrigin: 'https://onsite.example', clientId: 'de mo', origin: 'https://shop.example' });
    return { result, added };
  }

  it('loads /frame/check.js once with the client id and page origin, then removes it', async () => {
    const { result, added } = check('ok');
    assert.equal(await result, null);
    assert.equal(added.length, 1);
    assert.equal(added[0].src, 'https://onsite.example/frame/check.js?client_id=de%20mo&origin=https%3A%2F%2Fshop.example');
    assert.equal(added[0].removed, true);
  });

  it('maps the answer to a reason', async () => {
    assert.equal(await check('unknown_client').result, 'unknown_client');
    assert.equal(await check('origin_not_allowed').result, 'origin_not_allowed');
    assert.equal(await check('unavailable').result, 'bff_unreachable');
    assert.equal(await check(null).result, 'bff_unreachable');
    assert.equal(await check('error').result, 'bff_unreachable');
  });

  it('gives up after the timeout', async () => {
    assert.equal(await check('hang', (resolve) => resolve()).result, 'bff_unreachable');
  });
});

describe('buildOverlayLabel', () => {
  it('shows the state, and the warning text when there is a reason', () => {
    const placement = { state: null, reason: null, key: 'credit-badge', locale: 'en-GB', amount: '9900' };
    assert.equal(buildOverlayLabel(placement, facts), 'onsite: loading');
    assert.equal(
      buildOverlayLabel({ ...placement, state: 'empty', reason: 'outside_amount_range' }, facts),
      'onsite: empty outside_amount_range: credit-badge en-GB 9900',
    );
  });
});
