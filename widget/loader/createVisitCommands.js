import { guard } from '../shared/guard.js';
import { randomHex } from '../shared/randomHex.js';
import { readPageFacts } from './readPageFacts.js';

/**
 * The visit's commands of the Onsite API (docs/attribution.md):
 *
 * - `getVisit(callback)` calls back with `{visit_id}` (the session id) so the
 *   checkout can pass it to the merchant's server; a callback that throws is
 *   contained.
 * - `order({order_id, amount, currency, payment_method})` on the order
 *   confirmation page sends one `order_created` event marked `source:
 *   "client"`, with the visit id and the page facts, to `/rpc/collect`. The
 *   server validates every field; only a non-object is dropped here. A
 *   CORS-simple request (a string body is text/plain; no cookies go
 *   cross-origin): no preflight, and `/rpc/collect` reads text/plain as JSON.
 *   Returns the fetch promise (the API's guard contains a rejection).
 *
 * @param {{win: Window, doc: Document, clientId: string, bffOrigin: string, visitId: () => string}} options
 */
export function createVisitCommands({ win, doc, clientId, bffOrigin, visitId }) {
  return {
    getVisit(callback) {
      if (typeof callback === 'function') guard(callback)({ visit_id: visitId() });
    },
    order(details) {
      if (!details || typeof details !== 'object') return;
      const { order_id, amount, currency, payment_method } = details;
      const event = {
        ...readPageFacts(win, doc),
        id: randomHex(16), type: 'order_created', source: 'client', client_id: clientId, visit_id: visitId(), ts: Date.now(),
        order_id, amount, currency, payment_method,
      };
      const body = JSON.stringify({ jsonrpc: '2.0', method: 'events.track', params: { events: [event] } });
      return win.fetch(bffOrigin + '/rpc/collect', { method: 'POST', body, mode: 'no-cors', keepalive: true });
    },
  };
}
