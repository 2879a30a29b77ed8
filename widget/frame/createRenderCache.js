import { createJsonStore } from './createJsonStore.js';
import { hashContext } from '../shared/hashContext.js';
import { isRenderResult } from './isRenderResult.js';
import { stableStringify } from '../shared/stableStringify.js';

/**
 * Cache of render results, keyed by `onsite.render.<hashContext(params)>`, in
 * memory for the frame's lifetime and in the frame origin's sessionStorage
 * across pages of the visit. Each entry keeps the exact params it answers and
 * is only returned for those params. Storage that is missing, full or denied
 * (a browser blocking third-party storage) leaves the in-memory cache.
 *
 * @param {Storage|null} storage
 * @returns {{get(params: object): object|null, set(params: object, result: object): void}}
 */
export function createRenderCache(storage) {
  const store = createJsonStore(storage);
  const keyFor = (params) => 'onsite.render.' + hashContext(params);


  return {
    get(params) {
      const entry = store.read(keyFor(params));
      return entry && entry.params === stableStringify(params) && isRenderResult(entry.result) ? entry.result : null;
    },
    set(params, result) {
      const key = keyFor(params);
      const entry = { params: stableStringify(params), result };
      store.write(key, entry);
    },
  };
}
