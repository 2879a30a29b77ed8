import { stableStringify } from './stableStringify.js';

/**
 * Short, stable, non-cryptographic hash (32-bit FNV-1a, 8 hex characters) of
 * the key-sorted JSON of `value`. Used only to name cache entries; the cache
 * stores the full JSON next to the entry, so a collision is never served.
 *
 * @param {unknown} value JSON-compatible data
 * @returns {string}
 */
export function hashContext(value) {
  const json = stableStringify(value);
  let hash = 0x811c9dc5;
  for (let i = 0; i < json.length; i++) {
    hash ^= json.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}
