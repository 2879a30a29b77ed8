import { buildRenderParams } from './buildRenderParams.js';
import { isRenderResult } from './isRenderResult.js';

const LOCALE_PATTERN = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/;

/**
 * Turns placement contexts into what the frame shows.
 *
 * For each context: set `<html lang>`, look in the cache, else call
 * `placements.render` (with `extraParams` added to the params) and cache a
 * valid answer. Anything that goes wrong (error, invalid answer, context for
 * another client) shows nothing: the shopper never sees an error. When
 * renders overlap, only the latest applies.
 *
 * @param {object} options
 * @param {Document} options.doc
 * @param {string} options.clientId the client this frame was served for
 * @param {{get(params: object): object|null, set(params: object, result: object): void}} options.cache
 * @param {(params: object) => Promise<unknown>} options.fetchResult
 * @param {(result: object|null, context: object) => void} options.show
 * @param {() => void} options.afterRender
 * @param {object} [options.extraParams]
 * @returns {{render(context: object): Promise<void>}}
 */
export function createRenderer({ doc, clientId, cache, fetchResult, show, afterRender, extraParams }) {
  let latest = 0;

  async function resolve(context) {
    if (context.client_id !== clientId) return null;
    const params = buildRenderParams(context, extraParams);
    const cached = cache.get(params);
    if (cached) return cached;
    try {
      const result = await fetchResult(params);
      if (!isRenderResult(result)) return null;
      cache.set(params, result);
      return result;
    } catch {
      return null;
    }
  }

  return {
    async render(context) {
      const ticket = ++latest;
      if (LOCALE_PATTERN.test(context.locale)) doc.documentElement.lang = context.locale;
      const result = await resolve(context);
      if (ticket !== latest) return;
      show(result, context);
      afterRender();
    },
  };
}
