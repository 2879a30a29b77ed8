import { createRpcError } from '../rpc/createRpcError.js';
import { errorCodes } from '../rpc/errorCodes.js';

let lastId = 0;

/**
 * Calls a JSON-RPC 2.0 method over HTTP POST and resolves with its result.
 * Rejects on network failure, a non-2xx status, a body that is not a matching
 * response, a JSON-RPC error (with its `code`), or after `timeoutMs` (TIMEOUT).
 *
 * @param {object} options
 * @param {typeof fetch} options.fetchFn
 * @param {string} options.url
 * @param {string} options.method
 * @param {object} options.params
 * @param {number} [options.timeoutMs]
 * @returns {Promise<unknown>}
 */
export async function postJsonRpc({ fetchFn, url, method, params, timeoutMs = 8000 }) {
  const id = ++lastId;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetchFn(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id, method, params }),
      credentials: 'same-origin',
      signal: controller.signal,
    });
    if (!response.ok) throw createRpcError(errorCodes.INTERNAL_ERROR, 'HTTP ' + response.status);
    const body = await response.json();
    if (!body || body.jsonrpc !== '2.0' || body.id !== id) throw createRpcError(errorCodes.INTERNAL_ERROR);
    if (body.error) throw createRpcError(body.error.code, body.error.message);
    return body.result;
  } catch (error) {
    throw controller.signal.aborted ? createRpcError(errorCodes.TIMEOUT) : error;
  } finally {
    clearTimeout(timer);
  }
}
