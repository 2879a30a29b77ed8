import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createConsentRecorder } from '../frame/createConsentRecorder.js';

function memoryStorage() {
  const items = new Map();
  return { getItem: (key) => items.get(key) ?? null, setItem: (key, value) => items.set(key, value) };
}

const BASE = { client_id: 'demo', session_id: 's'.repeat(32) };

test('records each change once per session, with the token for a grant and a withdrawal', () => {
  const sent = [];
  const storage = memoryStorage();
  const recorder = createConsentRecorder({ storage, send: (params) => sent.push(params) });
  recorder.record({ ...BASE, consent: null });
  recorder.record({ ...BASE, consent: true, customer_token: 'h.p.s' });
  recorder.record({ ...BASE, consent: true, customer_token: 'h.p.s' });
  createConsentRecorder({ storage, send: (params) => sent.push(params) }).record({ ...BASE, consent: true, customer_token: 'h.p.s' });
  recorder.record({ ...BASE, consent: false, customer_token: 'h.p.s' });
  assert.deepEqual(sent, [
    { ...BASE, personalization: true, customer_token: 'h.p.s', source: 'page' },
    { ...BASE, personalization: false, customer_token: 'h.p.s', source: 'page' },
  ]);
});

test('blocked or throwing storage never throws, and the frame still sends a choice once', () => {
  for (const storage of [null, { getItem: () => { throw new Error('SecurityError'); }, setItem: () => { throw new Error('Quota'); } }]) {
    const sent = [];
    const recorder = createConsentRecorder({ storage, send: (params) => sent.push(params) });
    recorder.record({ ...BASE, consent: true });
    recorder.record({ ...BASE, consent: true });
    assert.equal(sent.length, 1);
  }
});
