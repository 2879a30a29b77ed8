import { guard } from '../shared/guard.js';
import { randomHex } from '../shared/randomHex.js';
import { buildEventDetail } from './buildEventDetail.js';
import { buildFrameUrl } from './buildFrameUrl.js';
import { connectFrame } from './connectFrame.js';
import { createFrameElement } from './createFrameElement.js';
import { lockPageScroll } from './lockPageScroll.js';

/**
 * The interstitial: one full-viewport overlay iframe at a time.
 *
 * `open` remembers the focused element and appends the overlay, invisible
 * (clicks pass through it) until its frame's hello, which gets the opener's
 * context. Then the overlay shows and takes focus, the page scroll is locked,
 * "open" is emitted, and until it closes focus that lands in the page goes
 * back to the overlay and Escape in the page closes it. `close` (served to the
 * overlay frame as `interstitial.close`, and run when its handshake fails)
 * removes it; if it had opened, the scroll is unlocked, focus returns to the
 * remembered element and "close" is emitted.
 *
 * @param {object} options
 * @param {Window} options.win
 * @param {Document} options.doc
 * @param {string} options.bffOrigin
 * @param {string} options.clientId
 * @param {(type: string, detail: object) => void} options.emit
 * @returns {{open(opener: {getContext(): object, afterClose(previous: Element|null): void}): boolean, update(): void, close(): void}}
 */
export function createInterstitialController({ win, doc, bffOrigin, clientId, emit }) {
  let current = null;

  const keepFocus = guard((event) => {
    if (current && event.target !== current.overlay) current.overlay.focus();
  });
  const closeOnEscape = guard((event) => {
    if (event.key === 'Escape') close();
  });

  function listen(on) {
    const method = on ? 'addEventListener' : 'removeEventListener';
    doc[method]('focusin', keepFocus, true);
    doc[method]('keydown', closeOnEscape, true);
  }

  function close() {
    if (!current) return;
    const { overlay, channel, unlock, previous, opener, detail } = current;
    current = null;
    channel.close();
    overlay.remove();
    if (!unlock) return;
    listen(false);
    unlock();
    if (previous && previous.isConnected && typeof previous.focus === 'function') previous.focus();
    opener.afterClose(previous);
    emit('close', detail);
  }

  function open(opener) {
    if (current) return false;
    const nonce = randomHex(16);
    const src = buildFrameUrl({ bffOrigin, clientId, nonce, parentOrigin: win.location.origin, view: 'interstitial' });
    const overlay = createFrameElement(doc, src, { overlay: true });
    const state = { overlay, opener, previous: doc.activeElement, unlock: null, detail: buildEventDetail(opener.getContext()) };
    doc.body.appendChild(overlay);
    state.channel = connectFrame({
      iframe: overlay,
      win,
      bffOrigin,
      nonce,
      view: 'interstitial',
      getContext: opener.getContext,
      onReady() {
        state.unlock = lockPageScroll(doc, win);
        overlay.style.visibility = 'visible';
        overlay.focus();
        listen(true);
        emit('open', state.detail);
      },
      onFailed: close,
      methods: {
        'interstitial.close'() {
          setTimeout(guard(close), 0);
          return null;
        },
      },
    });
    current = state;
    return true;
  }

  return {
    open,
    update() {
      if (current && current.channel.isReady()) {
        current.channel.call('context.update', { context: current.opener.getContext() }).catch(() => {});
      }
    },
    close,
  };
}
