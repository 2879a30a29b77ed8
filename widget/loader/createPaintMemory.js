import { hashContext } from '../shared/hashContext.js';

const KEY = 'onsite.painted';
const MAX_ENTRIES = 32;

/**
 * Remembers which first paints (firstPaintOf) this visit has already asked a
 * frame shell for, as short hashes in the merchant origin's sessionStorage
 * (`onsite.painted`, the latest 32). A frame whose first paint was asked for
 * before is created with the public, cacheable shell instead, and paints its
 * render from the frame's own cache (the params in the URL's fragment), so a
 * reload or a back navigation costs the server nothing. Missing or blocked storage means
 * every frame asks (correct, only slower for the server); a hash collision
 * only means one frame takes the handshake's path.
 *
 * @param {Storage|null} storage
 * @returns {{has(firstPaint: object): boolean, add(firstPaint: object): void}}
 */
export function createPaintMemory(storage) {
  const read = () => {
    try {
      const list = JSON.parse(storage.getItem(KEY));
      return Array.isArray(list) ? list.filter((hash) => typeof hash === 'string') : [];
    } catch {
      return [];
    }
  };
  return {
    has: (firstPaint) => read().includes(hashContext(firstPaint)),
    add(firstPaint) {
      const hash = hashContext(firstPaint);
      const list = [...read().filter((item) => item !== hash), hash].slice(-MAX_ENTRIES);
      try {
        storage.setItem(KEY, JSON.stringify(list));
      } catch {
        // Nothing remembered: the next page asks again.
      }
    },
  };
}
