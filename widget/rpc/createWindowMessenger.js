import { fitsSizeLimit } from './fitsSizeLimit.js';
import { isEnvelope } from './isEnvelope.js';

/**
 * @typedef {object} Messenger
 * Transport under an RPC endpoint. It owns the envelope: `post` takes a
 * JSON-RPC object and sends it wrapped, `onMessage` handlers get the JSON-RPC
 * object of envelopes that passed every check.
 * @property {(rpc: object) => void} post
 * @property {(handler: (rpc: object) => void) => () => void} onMessage returns an unsubscribe function
 * @property {() => void} [close] stops listening and drops all handlers
 */

/**
 * Messenger over window.postMessage for one frame channel.
 *
 * Posts `{onsite: 1, nonce, rpc}` to `targetWindow` with the exact
 * `targetOrigin` (a wildcard is refused). Delivers a message only if it comes
 * from `targetWindow`, from exactly `targetOrigin`, is an envelope with the
 * same nonce and is at most MAX_MESSAGE_CHARS of JSON (see fitsSizeLimit);
 * anything else is dropped silently.
 *
 * @param {{targetWindow: Window, targetOrigin: string, nonce: string, listenWindow: Window}} options
 * @returns {Messenger}
 */
export function createWindowMessenger({ targetWindow, targetOrigin, nonce, listenWindow }) {
  if (typeof targetOrigin !== 'string' || !/^https?:\/\/[^/]+$/.test(targetOrigin)) {
    throw new TypeError('targetOrigin must be an exact http(s) origin');
  }
  if (typeof nonce !== 'string' || nonce === '') throw new TypeError('nonce is required');
  const handlers = new Set();

  function onWindowMessage(event) {
    if (event.source !== targetWindow || event.origin !== targetOrigin) return;
    if (!isEnvelope(event.data, nonce) || !fitsSizeLimit(event.data)) return;
    for (const handler of [...handlers]) {
      try {
        handler(event.data.rpc);
      } catch {
        // A failing handler must not stop the others nor reach the page.
      }
    }
  }

  listenWindow.addEventListener('message', onWindowMessage);
  return {
    post(rpc) {
      targetWindow.postMessage({ onsite: 1, nonce, rpc }, targetOrigin);
    },
    onMessage(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    close() {
      handlers.clear();
      listenWindow.removeEventListener('message', onWindowMessage);
    },
  };
}
