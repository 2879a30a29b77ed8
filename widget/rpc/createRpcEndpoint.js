import { createRpcError } from './createRpcError.js';
import { errorCodes } from './errorCodes.js';
import { parseRpcMessage } from './parseRpcMessage.js';

/**
 * A JSON-RPC 2.0 peer over a Messenger.
 *
 * Serves an incoming request only when its method is allowed AND implemented
 * (own property of `methods`); otherwise answers -32601. Invalid requests are
 * answered -32600 when they carry a usable id and dropped otherwise. A handler
 * that throws is answered -32603 with a generic message, unless it threw
 * createRpcError(-32602) to reject its params. Notifications are never answered.
 *
 * Outgoing calls reject with `code` "TIMEOUT" after `timeoutMs`, and with
 * "CLOSED" once `close()` has run; responses with unknown ids are ignored.
 *
 * @param {object} options
 * @param {import('./createWindowMessenger.js').Messenger} options.messenger
 * @param {Record<string, (params: any) => any>} [options.methods]
 * @param {string[] | ((method: string) => boolean)} [options.allowedMethods] serves nothing by default
 * @param {number} [options.timeoutMs]
 */
export function createRpcEndpoint({ messenger, methods = {}, allowedMethods = [], timeoutMs = 5000 }) {
  const isAllowed =
    typeof allowedMethods === 'function' ? allowedMethods : (method) => allowedMethods.includes(method);
  const pending = new Map();
  let nextId = 1;
  let closed = false;

  function send(rpc) {
    if (closed) return;
    try {
      messenger.post(rpc);
    } catch {
      // The other side is gone; the caller's timeout covers requests.
    }
  }

  function settle(id, error, result) {
    const call = pending.get(id);
    if (!call) return;
    pending.delete(id);
    clearTimeout(call.timer);
    if (error) call.reject(error);
    else call.resolve(result);
  }

  async function serve(method, params) {
    const implemented = Object.prototype.hasOwnProperty.call(methods, method);
    if (!implemented || !isAllowed(method)) return { error: errorCodes.METHOD_NOT_FOUND };
    try {
      const result = await methods[method](params);
      return { result: result === undefined ? null : result };
    } catch (error) {
      const code = error && error.code === errorCodes.INVALID_PARAMS ? error.code : errorCodes.INTERNAL_ERROR;
      return { error: code };
    }
  }

  async function answer(id, method, params) {
    const outcome = await serve(method, params);
    if (id === undefined) return;
    if ('result' in outcome) send({ jsonrpc: '2.0', id, result: outcome.result });
    else replyError(id, outcome.error);
  }

  function replyError(id, code) {
    send({ jsonrpc: '2.0', id, error: { code, message: createRpcError(code).message } });
  }

  function receive(rpc) {
    if (closed) return;
    const message = parseRpcMessage(rpc);
    if (message.type === 'request' || message.type === 'notification') {
      answer(message.id, message.method, message.params);
    } else if (message.type === 'invalid' && message.id !== undefined) {
      replyError(message.id, errorCodes.INVALID_REQUEST);
    } else if (message.type === 'response') {
      const error = message.error && createRpcError(message.error.code, message.error.message);
      settle(message.id, error, message.result);
    }
  }

  const unsubscribe = messenger.onMessage(receive);

  return {
    /** @returns {Promise<any>} the result, or rejects with an Error carrying `code` */
    call(method, params) {
      if (closed) return Promise.reject(createRpcError(errorCodes.CLOSED));
      const id = nextId++;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => settle(id, createRpcError(errorCodes.TIMEOUT)), timeoutMs);
        pending.set(id, { resolve, reject, timer });
        send(params === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params });
      });
    },
    notify(method, params) {
      send(params === undefined ? { jsonrpc: '2.0', method } : { jsonrpc: '2.0', method, params });
    },
    close() {
      if (closed) return;
      for (const id of [...pending.keys()]) settle(id, createRpcError(errorCodes.CLOSED));
      closed = true;
      unsubscribe();
      if (typeof messenger.close === 'function') messenger.close();
    },
  };
}
