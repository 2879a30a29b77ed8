import { hashContext } from './hashContext.js';
import { isRenderResult } from './isRenderResult.js';
import { stableStringify } from './stableStringify.js';

/**
 * Cache of render results in the frame origin's sessionStorage, keyed by
 * `onsite.render.<hashContext(params)>`. Each entry keeps the exact params it
 * answers and is only returned for those params. Storage that is missing,
 * full or blocked just means no caching.
 *
 * @param {Storage|null} storage
 * @returns {{get(params: object): object|null, set(params: object, result: object): void}}
 */
export function createRenderCache(storage) {
  const keyFor = (params) => 'onsite.render.' + hashContext(params);
  return {
    get(params) {
      try {
        const entry = JSON.parse(storage.getItem(keyFor(params)));
        return entry && entry.params === stableStringify(params) && isRenderResult(entry.result) ? entry.result : null;
      } catch {
        return null;
      }
    },
    set(params, result) {
      try {
        storage.setItem(keyFor(params), JSON.stringify({ params: stableStringify(params), result }));
      } catch {
        // Not caching is always safe.
      }
    },
  };
}
