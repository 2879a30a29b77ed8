import { describeOutcome } from '../loader/describeOutcome.js';

/**
 * The text the debug overlay draws over one placement: its state (from the
 * loader's `data-onsite-state`, "loading" until there is one) and, for a
 * reason, the same words as the console warning.
 *
 * @param {{state: string|null, reason: string|null, key: string|null, locale: string|null, amount: string|null}} placement read from the element
 * @param {{clientId: string, pageOrigin: string, bffOrigin: string}} facts
 * @returns {string}
 */
export function buildOverlayLabel({ state, reason, key, locale, amount }, facts) {
  const head = 'onsite: ' + (state || 'loading');
  if (!reason) return head;
  const context = { placement_key: key, locale, purchase_amount: amount };
  return head + ' ' + describeOutcome(reason, { ...facts, context }).replace('[onsite] ', '');
}
