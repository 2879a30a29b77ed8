import { clampHeight } from '../loader/clampHeight.js';
import { connectFrame } from '../loader/connectFrame.js';
import { createFrameElement } from '../loader/createFrameElement.js';
import { createRpcError } from '../rpc/createRpcError.js';
import { errorCodes } from '../rpc/errorCodes.js';
import { randomHex } from '../shared/randomHex.js';
import { buildPreviewFrameUrl } from './buildPreviewFrameUrl.js';

const ignore = () => null;

/**
 * One real frame of the live preview inside `host`: the console page is its
 * parent exactly as the loader is on a shop page (connectFrame: the hello with
 * the nonce, then only messages from that iframe's window and the console's
 * own origin). It serves what the loader serves a placement frame:
 * `frame.resize` (clamped to [0, 600]), `placement.outcome` (to `onOutcome`),
 * and takes `event` and `interstitial.open` / `interstitial.close` without
 * acting on them (the preview shows the dialog in its own box).
 *
 * An interstitial frame gets the fixed `height` instead of reporting one.
 *
 * @param {object} options
 * @param {Window} options.win the console window
 * @param {Element} options.host
 * @param {string} options.frameUrl the console's frame route of `view`
 * @param {'placement'|'interstitial'} options.view
 * @param {() => object} options.getContext
 * @param {(state: unknown, reason?: unknown) => void} options.onOutcome
 * @param {number} [options.height] fixed height (interstitial)
 * @param {number} [options.handshakeTimeoutMs]
 * @returns {{iframe: HTMLIFrameElement, update(): void, destroy(): void}}
 */
export function mountPreviewFrame({ win, host, frameUrl, view, getContext, onOutcome, height, handshakeTimeoutMs }) {
  const origin = win.location.origin;
  const nonce = randomHex(16);
  const iframe = createFrameElement(host.ownerDocument, buildPreviewFrameUrl({ frameUrl, nonce, parentOrigin: origin }));
  iframe.classList.add('con-preview-frame');
  iframe.setAttribute('data-preview-view', view);
  if (height) resize(height);
  host.appendChild(iframe);

  function resize(value) {
    iframe.setAttribute('height', String(value));
    iframe.style.height = value + 'px';
  }

  const channel = connectFrame({
    iframe,
    win,
    bffOrigin: origin,
    nonce,
    view,
    getContext,
    handshakeTimeoutMs,
    onReady: () => iframe.setAttribute('data-onsite-state', 'ready'),
    onFailed() {
      iframe.setAttribute('data-onsite-state', 'failed');
      onOutcome('failed', 'frame_timeout');
    },
    methods: {
      'frame.resize'(params) {
        if (!params || typeof params.height !== 'number') throw createRpcError(errorCodes.INVALID_PARAMS);
        const clamped = clampHeight(params.height);
        if (!height) resize(clamped);
        return { height: clamped };
      },
      'placement.outcome': (params) => params && onOutcome(params.state, params.reason),
      'interstitial.open': () => ({ opened: false }),
      'interstitial.close': ignore,
      event: ignore,
    },
  });

  return {
    iframe,
    update() {
      if (channel.isReady()) channel.call('context.update', { context: getContext() }).catch(ignore);
    },
    destroy() {
      channel.close();
      iframe.remove();
    },
  };
}
