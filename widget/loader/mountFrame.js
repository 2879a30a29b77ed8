import { createRpcError } from '../rpc/createRpcError.js';
import { errorCodes } from '../rpc/errorCodes.js';
import { debugLog } from '../shared/debugLog.js';
import { guard } from '../shared/guard.js';
import { randomHex } from '../shared/randomHex.js';
import { stableStringify } from '../shared/stableStringify.js';
import { buildFrameUrl } from './buildFrameUrl.js';
import { clampHeight } from './clampHeight.js';
import { connectFrame } from './connectFrame.js';
import { createFrameElement } from './createFrameElement.js';
import { firstPaintOf } from './firstPaintOf.js';

const FORWARDED_EVENTS = ['impression', 'click'];
/** A frame that has not said hello by then is probably refused: ask the BFF why (see checkFrameAccess). */
const STALL_MS = 2000;
/** Notifications kept for the hello (viewable, focus): a handful at most. */
const MAX_WAITING = 8;

/**
 * Creates the iframe of one placement inside `element` and serves its RPC
 * (see connectFrame): after the hello, `frame.resize` (height clamped to
 * [0, 600]), `interstitial.open` and the `event` notification.
 *
 * The iframe gets `data-onsite-state` "loading", then "ready" after a good
 * hello, or "failed" (height 0) when the hello does not come in time.
 *
 * First paint: the frame URL asks the server for the placement's first render
 * (firstPaintOf, buildFrameUrl), and the shell may paint it before the hello
 * (`frame.painted {height}`). The iframe takes that height only while the
 * placement's context still asks for the very same render; otherwise the
 * frame is shown after the hello, as without it. Notifications to the frame
 * (`notify`) wait for the hello: a painted frame can become viewable first.
 * A first paint this visit asked the server for before (`paints`) is not
 * asked again: the URL names it in its fragment, the shell is the public,
 * cached one, and the frame paints it from its own render cache.
 *
 * Outcomes for the merchant (`onOutcome`): the frame's `placement.outcome`
 * notification after each render; and when no hello came within 2 s, the
 * BFF's answer to `diagnose()` (`failed` with `unknown_client`,
 * `origin_not_allowed` or `bff_unreachable`), or at the handshake timeout
 * `failed` with `frame_timeout` if the BFF saw no problem.
 *
 * @param {object} options
 * @param {Element} options.element the placement
 * @param {Window} options.win the merchant window
 * @param {string} options.bffOrigin
 * @param {string} options.clientId
 * @param {() => object} options.getContext current placement context
 * @param {(height: number) => void} options.onResize after the iframe took a new height
 * @param {() => boolean} options.onOpen the frame asks for the interstitial; true if it opened
 * @param {(type: 'impression'|'click', params: object) => void} options.onEvent
 * @param {(state: unknown, reason?: unknown) => void} options.onOutcome
 * @param {() => Promise<string|null>} options.diagnose why frames cannot load on this page; null if they can
 * @param {{has(firstPaint: object): boolean, add(firstPaint: object): void}} [options.paints] see createPaintMemory
 * @param {number} [options.handshakeTimeoutMs]
 * @returns {{iframe: HTMLIFrameElement, update(): void, notify(method: string, params?: object): void, destroy(): void}}
 */
export function mountFrame({ element, win, bffOrigin, clientId, getContext, onResize, onOpen, onEvent, onOutcome, diagnose, paints = null, handshakeTimeoutMs }) {
  const nonce = randomHex(16);
  const firstPaint = firstPaintOf(getContext());
  const paintFrom = firstPaint && paints && paints.has(firstPaint) ? 'cache' : 'server';
  if (firstPaint && paints && paintFrom === 'server') paints.add(firstPaint);
  const paintKey = firstPaint && stableStringify(firstPaint);
  const src = buildFrameUrl({ bffOrigin, clientId, nonce, parentOrigin: win.location.origin, firstPaint, paintFrom });
  const iframe = createFrameElement(element.ownerDocument, src);
  const setState = (state) => iframe.setAttribute('data-onsite-state', state);
  element.appendChild(iframe);

  function resize(height) {
    iframe.setAttribute('height', String(height));
    iframe.style.height = height + 'px';
    onResize(height);
  }

  /** Notifications sent before the hello, in order. */
  const waiting = [];
  const channel = connectFrame({
    iframe,
    win,
    bffOrigin,
    nonce,
    view: 'placement',
    getContext,
    handshakeTimeoutMs,
    onReady() {
      setState('ready');
      for (const [method, params] of waiting.splice(0)) channel.notify(method, params);
    },
    onPainted(params) {
      // A paint 0 px tall shows nothing: it must not take the space the page reserved.
      if (!paintKey || !params || typeof params.height !== 'number' || !(params.height > 0)) return;
      if (stableStringify(firstPaintOf(getContext())) === paintKey) resize(clampHeight(params.height));
    },
    onFailed() {
      setState('failed');
      resize(0);
      diagnose().then((reason) => onOutcome('failed', reason || 'frame_timeout'));
    },
    methods: {
      'frame.resize'(params) {
        if (!params || typeof params.height !== 'number') throw createRpcError(errorCodes.INVALID_PARAMS);
        const height = clampHeight(params.height);
        resize(height);
        return { height };
      },
      'interstitial.open': () => ({ opened: onOpen() }),
      event(params) {
        if (!params || !FORWARDED_EVENTS.includes(params.type)) throw createRpcError(errorCodes.INVALID_PARAMS);
        onEvent(params.type, params);
        return null;
      },
      // Checked by onOutcome (see createOutcomeReporter).
      'placement.outcome': (params) => params && onOutcome(params.state, params.reason),
    },
  });
  const stall = setTimeout(
    guard(() => channel.isReady() || diagnose().then((reason) => reason && !channel.isReady() && onOutcome('failed', reason))),
    STALL_MS,
  );

  return {
    iframe,
    update() {
      if (channel.isReady()) channel.call('context.update', { context: getContext() }).catch(debugLog);
    },
    notify(method, params) {
      if (channel.isReady()) channel.notify(method, params);
      else if (waiting.length < MAX_WAITING) waiting.push([method, params]);
    },
    destroy() {
      clearTimeout(stall);
      channel.close();
      iframe.remove();
    },
  };
}
