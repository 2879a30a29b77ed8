import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createConsentRecorder } from '../frame/createConsentRecorder.js';

function memoryStorage() {
  const items = new Map();
  return { getItem: (key) => items.get(key) ?? null, setItem: (key, value) => items.set(key, value) };
}

const BASE = { client_id: 'demo', session_id: 's'.repeat(32) };

test('records each change once per session, with the ref only when granted', () => {
  const sent = [];
  const storage = memoryStorage();
  const recorder = createConsentRecorder({ storage, send: (params) => sent.push(params) });
  recorder.record({ ...BASE, consent: null });
  recorder.record({ ...BASE, consent: true, customer_ref: 'c-1' });
  recorder.record({ ...BASE, consent: true, customer_ref: 'c-1' });
  createConsentRecorder({ storage, send: (params) => sent.push(params) }).record({ ...BASE, consent: true, customer_ref: 'c-1' });
  recorder.record({ ...BASE, consent: false, customer_ref: 'c-1' });
  assert.deepEqual(sent, [
    { ...BASE, personalization: true, customer_ref: 'c-1', source: 'page' },
    { ...BASE, personalization: false, source: 'page' },
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
