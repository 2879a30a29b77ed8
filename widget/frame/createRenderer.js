import { errorCodes } from '../rpc/errorCodes.js';
import { buildRenderParams } from '../shared/buildRenderParams.js';
import { isRenderResult } from './isRenderResult.js';
import { stableStringify } from '../shared/stableStringify.js';

const LOCALE_PATTERN = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/;
const REASON = /^[a-z_]{1,40}$/;
const ignore = () => {};
const noTokens = { get: () => null, set: ignore };

/**
 * Turns placement contexts into what the frame shows.
 *
 * For each context: set `<html lang>`, look in the cache, else call
 * `placements.render` (with `extraParams` added to the params, and the visit's
 * token from `visitTokens` when it holds one: not part of the cache key) and
 * cache a valid answer, keeping the token it carries. Anything that goes wrong (error, invalid answer, context for
 * another client) shows nothing: the shopper never sees an error. When
 * renders overlap, only the latest applies.
 *
 * After each render, `onOutcome` learns what happened, for the merchant's
 * diagnostics (never shown to the shopper): `{state: 'rendered'}`,
 * `{state: 'empty', reason}` with the server's reason (`no_eligible_campaign`,
 * `outside_amount_range`, ...), or `{state: 'failed', reason}` with
 * `invalid_placement` (the server refused the params), `bff_unreachable`
 * (network, HTTP error, timeout), `invalid_answer` or `client_mismatch`.
 *
 * @param {object} options
 * @param {Document} options.doc
 * @param {string} options.clientId the client this frame was served for
 * @param {{get(params: object): object|null, set(params: object, result: object): void}} options.cache
 * @param {(params: object) => Promise<unknown>} options.fetchResult
 * @param {(result: object|null, context: object) => void} options.show
 * @param {() => void} options.afterRender
 * @param {object} [options.extraParams]
 * @param {{get(clientId: string, sessionId: string): string|null, set(clientId: string, sessionId: string, token: unknown): void}} [options.visitTokens]
 * @param {(outcome: {state: 'rendered'|'empty'|'failed', reason?: string}) => void} [options.onOutcome]
 * @returns {{seed(params: object, result: object): void, render(context: object): Promise<void>}}
 */
export function createRenderer({ doc, clientId, cache, fetchResult, show, afterRender, extraParams, visitTokens = noTokens, onOutcome = ignore }) {
  let latest = 0;
  let seeded = null;

  /** Keeps a valid answer of `params`: the cache, and the visit's token it carries. */
  function keep(params, result) {
    if (result.visit_token) visitTokens.set(clientId, params.session_id, result.visit_token);
    cache.set(params, result);
  }

  /** @returns {Promise<{result: object|null, failure?: string}>} */
  async function fetchFor(params) {
    try {
      const token = visitTokens.get(clientId, params.session_id);
      const result = await fetchResult(token ? { ...params, visit_token: token } : params);
      if (!isRenderResult(result)) return { result: null, failure: 'invalid_answer' };
      keep(params, result);
      return { result };
    } catch (error) {
      return { result: null, failure: error && error.code === errorCodes.INVALID_PARAMS ? 'invalid_placement' : 'bff_unreachable' };
    }
  }

  /** @returns {Promise<{result: object|null, failure?: string}>} */
  async function resolve(context) {
    if (context.client_id !== clientId) return { result: null, failure: 'client_mismatch' };
    const params = buildRenderParams(context, extraParams);
    const first = seeded;
    seeded = null;
    if (first && first.key === stableStringify(params)) return { result: first.result };
    const cached = cache.get(params);
    if (cached) return { result: cached };
    return fetchFor(params);
  }

  return {
    /**
     * Takes `result` as the answer of `params` without a call: the first
     * render the server put in the shell (readFirstRender). It is kept like
     * an answer (cache, visit token), and the next `render` uses it only if
     * that render asks for exactly the same params; otherwise it is dropped,
     * unshown. Ignored for another client or an invalid result.
     */
    seed(params, result) {
      if (!params || params.client_id !== clientId || !isRenderResult(result)) return;
      keep(params, result);
      seeded = { key: stableStringify(params), result };
    },
    async render(context) {
      const ticket = ++latest;
      if (LOCALE_PATTERN.test(context.locale)) doc.documentElement.lang = context.locale;
      const { result, failure } = await resolve(context);
      if (ticket !== latest) return;
      show(result, context);
      afterRender();
      onOutcome(outcomeOf(result, failure));
    },
  };
}

function outcomeOf(result, failure) {
  if (failure) return { state: 'failed', reason: failure };
  if (result.kind !== 'empty') return { state: 'rendered' };
  return { state: 'empty', reason: typeof result.reason === 'string' && REASON.test(result.reason) ? result.reason : 'no_campaign' };
}
