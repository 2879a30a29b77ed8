/**
 * Classifies an incoming JSON-RPC 2.0 object. Never throws.
 *
 * Returns one of:
 * - `{type: 'request', id, method, params}`
 * - `{type: 'notification', method, params}`
 * - `{type: 'response', id, result}` or `{type: 'response', id, error: {code, message}}`
 * - `{type: 'invalid', id}`: something with a `method` that is not a valid
 *   request; `id` is set only when it is a usable id, so the caller can answer.
 * - `{type: 'ignore'}`: anything else (a malformed response is never answered).
 *
 * @param {unknown} rpc
 */
export function parseRpcMessage(rpc) {
  try {
    if (typeof rpc !== 'object' || rpc === null || Array.isArray(rpc)) return { type: 'ignore' };
    const id = isId(rpc.id) ? rpc.id : undefined;
    if ('method' in rpc) {
      const valid =
        rpc.jsonrpc === '2.0' &&
        typeof rpc.method === 'string' &&
        rpc.method !== '' &&
        (rpc.params === undefined || (typeof rpc.params === 'object' && rpc.params !== null)) &&
        (!('id' in rpc) || id !== undefined);
      if (!valid) return { type: 'invalid', id };
      if (id === undefined) return { type: 'notification', method: rpc.method, params: rpc.params };
      return { type: 'request', id, method: rpc.method, params: rpc.params };
    }
    if (rpc.jsonrpc !== '2.0' || id === undefined) return { type: 'ignore' };
    const hasResult = 'result' in rpc;
    const hasError = 'error' in rpc;
    if (hasResult && !hasError) return { type: 'response', id, result: rpc.result };
    if (hasError && !hasResult && isErrorObject(rpc.error)) {
      return { type: 'response', id, error: { code: rpc.error.code, message: rpc.error.message } };
    }
    return { type: 'ignore' };
  } catch {
    return { type: 'ignore' };
  }
}

function isId(value) {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}

function isErrorObject(error) {
  return (
    typeof error === 'object' &&
    error !== null &&
    Number.isInteger(error.code) &&
    typeof error.message === 'string'
  );
}
