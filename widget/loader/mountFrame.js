import { createRpcEndpoint } from '../rpc/createRpcEndpoint.js';
import { createRpcError } from '../rpc/createRpcError.js';
import { createWindowMessenger } from '../rpc/createWindowMessenger.js';
import { errorCodes } from '../rpc/errorCodes.js';
import { debugLog } from '../shared/debugLog.js';
import { guard } from '../shared/guard.js';
import { randomHex } from '../shared/randomHex.js';
import { buildFrameUrl } from './buildFrameUrl.js';
import { clampHeight } from './clampHeight.js';
import { createFrameElement } from './createFrameElement.js';

const AFTER_HELLO = ['context.get', 'frame.resize'];

/**
 * Creates the iframe of one placement inside `element` and serves its RPC.
 *
 * Until the frame's `frame.hello` (version 1) arrives, that is the only method
 * served. If it does not arrive within `handshakeTimeoutMs`, the iframe stays
 * at height 0, gets `data-onsite-state="failed"` and the channel is closed;
 * after a good hello it gets `data-onsite-state="ready"`.
 *
 * @param {object} options
 * @param {Element} options.element the placement
 * @param {Window} options.win the merchant window
 * @param {string} options.bffOrigin
 * @param {string} options.clientId
 * @param {() => object} options.getContext current placement context
 * @param {number} [options.handshakeTimeoutMs]
 * @returns {{update(): void, destroy(): void}}
 */
export function mountFrame({ element, win, bffOrigin, clientId, getContext, handshakeTimeoutMs = 10000 }) {
  const nonce = randomHex(16);
  const src = buildFrameUrl({ bffOrigin, clientId, nonce, parentOrigin: win.location.origin });
  const iframe = createFrameElement(element.ownerDocument, src);
  element.appendChild(iframe);
  let ready = false;

  const endpoint = createRpcEndpoint({
    messenger: createWindowMessenger({ targetWindow: iframe.contentWindow, targetOrigin: bffOrigin, nonce, listenWindow: win }),
    allowedMethods: (method) => method === 'frame.hello' || (ready && AFTER_HELLO.includes(method)),
    methods: {
      'frame.hello'(params) {
        if (!params || params.version !== 1) throw createRpcError(errorCodes.INVALID_PARAMS);
        ready = true;
        clearTimeout(handshakeTimer);
        iframe.setAttribute('data-onsite-state', 'ready');
        return getContext();
      },
      'context.get': () => getContext(),
      'frame.resize'(params) {
        if (!params || typeof params.height !== 'number') throw createRpcError(errorCodes.INVALID_PARAMS);
        const height = clampHeight(params.height);
        iframe.setAttribute('height', String(height));
        iframe.style.height = height + 'px';
        return { height };
      },
    },
  });

  const handshakeTimer = setTimeout(
    guard(() => {
      iframe.setAttribute('data-onsite-state', 'failed');
      endpoint.close();
      debugLog(createRpcError(errorCodes.HANDSHAKE_FAILED), element);
    }),
    handshakeTimeoutMs,
  );

  return {
    update() {
      if (ready) endpoint.call('context.update', { context: getContext() }).catch(debugLog);
    },
    destroy() {
      clearTimeout(handshakeTimer);
      endpoint.close();
      iframe.remove();
    },
  };
}
