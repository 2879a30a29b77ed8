import { buildEventDetail } from './buildEventDetail.js';
import { describeOutcome } from './describeOutcome.js';

const STATES = ['rendered', 'empty', 'failed'];
const REASON = /^[a-z_]{1,40}$/;

/**
 * Tells the merchant what a placement shows: sets `data-onsite-state`
 * (`rendered`, `empty` or `failed`) and `data-onsite-reason` on the element,
 * emits the event of that name (detail.reason for empty and failed) when the
 * outcome changes, and writes one console warning per reason per page (see
 * describeOutcome). The shopper sees none of it. Unknown states are ignored,
 * malformed reasons dropped.
 *
 * @param {{emit(type: string, detail: object): void, warn(text: string): void, facts: {clientId: string, pageOrigin: string, bffOrigin: string}}} options
 * @returns {(element: Element, context: object, state: unknown, reason?: unknown) => void}
 */
export function createOutcomeReporter({ emit, warn, facts }) {
  const warned = new Set();
  return (element, context, state, reason) => {
    reason = typeof reason == 'string' && REASON.test(reason) ? reason : null;
    if (!STATES.includes(state) || (element.getAttribute('data-onsite-state') == state && element.getAttribute('data-onsite-reason') == reason)) return;
    element.setAttribute('data-onsite-state', state);
    if (reason) element.setAttribute('data-onsite-reason', reason);
    else element.removeAttribute('data-onsite-reason');
    emit(state, buildEventDetail(context, { reason }));
    if (reason && !warned.has(reason)) {
      warned.add(reason);
      warn(describeOutcome(reason, { ...facts, context }));
    }
  };
}
