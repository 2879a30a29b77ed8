/**
 * Records the shopper's consent choices on the server (`consent.update`).
 *
 * Every placement frame of a page sees the same context, so a choice is sent
 * once per session: the last recorded choice is kept in the frame origin's
 * localStorage (partitioned per merchant site by the browser). Storage
 * failures only mean a duplicate record, never an error for the shopper.
 * The customer token (when the page has one) goes with a grant and with a
 * withdrawal alike: the server records a choice only for a verified shopper.
 *
 * @param {{storage: Storage|null, send: (params: object) => void}} options
 *   storage may be null (blocked); then this frame remembers choices in memory
 * @returns {{record(context: object): void}}
 */
export function createConsentRecorder({ storage, send }) {
  const memory = new Map();
  const read = (key) => {
    try {
      return storage ? storage.getItem(key) : memory.get(key) ?? null;
    } catch {
      return memory.get(key) ?? null;
    }
  };
  const write = (key, value) => {
    memory.set(key, value);
    try {
      if (storage) storage.setItem(key, value);
    } catch {
      // Blocked or full storage: the in-memory copy still prevents repeats from this frame.
    }
  };
  return {
    record(context) {
      if (typeof context.consent !== 'boolean') return;
      const token = typeof context.customer_token === 'string' ? context.customer_token : null;
      const key = `onsite.consent.${context.session_id}`;
      const value = `${context.consent}|${token || ''}`;
      if (read(key) === value) return;
      write(key, value);
      const params = { client_id: context.client_id, session_id: context.session_id, personalization: context.consent };
      if (token) params.customer_token = token;
      send({ ...params, source: 'page' });
    },
  };
}
