import { guard } from '../shared/guard.js';

/** The events merchants can subscribe to with Onsite.on(). */
const TYPES = ['impression', 'click', 'open', 'close', 'rendered', 'empty', 'failed'];

/**
 * Subscribers of the public events. `on` ignores unknown types and
 * non-functions and returns an unsubscribe function; a subscriber that throws
 * neither stops the others nor reaches the page.
 *
 * @returns {{on(type: string, callback: Function): () => void, off(type: string, callback: Function): void, emit(type: string, detail: object): void}}
 */
export function createEventBus() {
  const subscribers = new Map(TYPES.map((type) => [type, new Set()]));
  const off = (type, callback) => {
    if (subscribers.has(type)) subscribers.get(type).delete(callback);
  };
  return {
    on(type, callback) {
      if (subscribers.has(type) && typeof callback === 'function') subscribers.get(type).add(callback);
      return () => off(type, callback);
    },
    off,
    emit(type, detail) {
      for (const callback of [...(subscribers.get(type) || [])]) guard(callback)({ ...detail, type });
    },
  };
}
