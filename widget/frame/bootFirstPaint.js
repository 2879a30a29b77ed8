import { createWindowMessenger } from '../rpc/createWindowMessenger.js';
import { markOnce as mark } from '../shared/markOnce.js';
import { paintBadge } from './paintBadge.js';
import { safeStorage } from '../shared/safeStorage.js';
import { createRenderCache } from './createRenderCache.js';
import { findFirstRender } from './readFirstRender.js';
import { readFrameSetup } from './readFrameSetup.js';
import { readHashVars } from './readHashVars.js';

/** Dispatched on the document by the frame app as it starts (startFrame). */
export const APP_START = 'onsite:app-start';

/**
 * The placement shell's first paint: inlined by the server at the end of every
 * placement shell (templates/frame.html; the CSP allows it by its sha256), it
 * runs as soon as the shell is parsed, before the frame bundle has arrived.
 *
 * Under the frame app's own conditions (readFrameSetup) and in a placement
 * shell, it paints the first render (paintBadge): the server's, or the frame's
 * cached one of the params in the fragment (findFirstRender). It then marks the
 * root `data-onsite-painted` and posts one `frame.painted {height}`
 * notification to the claimed origin only, through the channel's envelope
 * (nonce). It posts nothing else, listens to no message, and keeps a click on
 * the call to action for the frame app. The loader sizes the iframe only if its
 * context still asks for that render (widget/loader/mountFrame.js), and the
 * frame app then says hello as usual (startFrame), verifying the parent before
 * anything else happens.
 *
 * @param {Window} win
 * @param {Document} doc
 */
export function bootFirstPaint(win, doc) {
  mark(win, 'onsite:boot-start');
  const setup = readFrameSetup(win, doc);
  if (!setup || setup.config.view !== 'placement') return;
  const { config, channel, root } = setup;
  const cache = createRenderCache(safeStorage(win, 'sessionStorage'));
  const first = findFirstRender({ doc, hash: win.location.hash, clientId: config.clientId, cache });
  if (!first) return;
  // A frame its parent has not laid out yet has no width: lay the badge out once it has one.
  const paint = () => paintFirst({ win, root, channel, first });
  if (doc.documentElement.clientWidth > 0 || typeof win.ResizeObserver !== 'function') {
    paint();
    return;
  }
  const observer = new win.ResizeObserver(() => {
    if (doc.documentElement.clientWidth === 0) return;
    observer.disconnect();
    paint();
  });
  observer.observe(doc.documentElement);
  // The frame app, once it runs, shows the render itself: a late paint must not follow it.
  doc.addEventListener(APP_START, () => observer.disconnect(), { once: true });
}

function paintFirst({ win, root, channel, first }) {
  const contextTheme = typeof first.params.theme === 'string' ? first.params.theme : null;
  const height = paintBadge({ root, win, result: first.result, contextTheme, pageVars: readHashVars(win.location.hash) });
  if (!height) return; // nothing shown, or nothing laid out: the hello's path shows it
  root.setAttribute('data-onsite-painted', '');
  // A click on the call to action before the frame app runs is kept for it (startFrame
  // reads `data-onsite-clicked` and removes both marks when it takes over).
  root.addEventListener('click', (event) => {
    const target = event.target;
    if (root.hasAttribute('data-onsite-painted') && target && target.closest && target.closest('.onsite__cta')) {
      root.setAttribute('data-onsite-clicked', '');
    }
  });
  mark(win, 'onsite:frame-painted');
  const messenger = createWindowMessenger({ targetWindow: win.parent, targetOrigin: channel.origin, nonce: channel.nonce, listenWindow: win });
  messenger.post({ jsonrpc: '2.0', method: 'frame.painted', params: { height } });
  messenger.close();
}
