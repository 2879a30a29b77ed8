import ko from 'knockout';
import { createRpcEndpoint } from '../rpc/createRpcEndpoint.js';
import { createRpcError } from '../rpc/createRpcError.js';
import { createWindowMessenger } from '../rpc/createWindowMessenger.js';
import { errorCodes } from '../rpc/errorCodes.js';
import { markOnce as mark } from '../shared/markOnce.js';
import { safeStorage } from '../shared/safeStorage.js';
import { createConsentRecorder } from './createConsentRecorder.js';
import { createInterstitialView } from './createInterstitialView.js';
import { createPlacementView } from './createPlacementView.js';
import { createRenderCache } from './createRenderCache.js';
import { createRenderer } from './createRenderer.js';
import { createTracker } from './createTracker.js';
import { createVisitTokenStore } from './createVisitTokenStore.js';
import { installSecureBindings } from './installSecureBindings.js';
import { isPlacementContext } from './isPlacementContext.js';
import { postJsonRpc } from './postJsonRpc.js';
import { APP_START } from './bootFirstPaint.js';
import { findFirstRender } from './readFirstRender.js';
import { readFrameSetup } from './readFrameSetup.js';
import { sendRpcNotification } from './sendRpcNotification.js';

/**
 * Runs a frame: the placement view or the interstitial view, as the shell's
 * `data-view` says. Renders nothing unless it is framed by an origin the
 * shell allows, with a nonce, and that parent answers `frame.hello` with a
 * valid context. Then renders that context and re-renders on `context.update`;
 * the view adds its own methods (see createPlacementView, createInterstitialView).
 *
 * A placement shell may carry its first render, or the URL's fragment name one
 * the frame has cached (findFirstRender): it stands for the render of the same
 * params, and when the shell's boot script has
 * painted it already (`data-onsite-painted`, see bootFirstPaint) the view
 * takes it on before the bindings, so nothing flickers, with a click the
 * shopper made on it meanwhile (`data-onsite-clicked`).
 *
 * @param {Window} win
 * @param {Document} doc
 */
export async function startFrame(win, doc) {
  mark(win, 'onsite:frame-start');
  doc.dispatchEvent(new win.Event(APP_START)); // a first paint still waiting stands down
  const setup = readFrameSetup(win, doc);
  if (!setup) return;
  const { config, channel, root } = setup;

  let endpoint = null;
  const parent = {
    call: (method, params) => endpoint.call(method, params),
    notify: (method, params) => endpoint.notify(method, params),
  };
  const createView = config.view === 'interstitial' ? createInterstitialView : createPlacementView;
  const view = createView({ win, doc, root, track: createTracker({ win, url: config.collectUrl }), parent });

  const consent = createConsentRecorder({
    storage: safeStorage(win, 'localStorage'),
    send: (params) =>
      sendRpcNotification({ fetchFn: win.fetch.bind(win), url: config.collectUrl, method: 'consent.update', params }),
  });
  // One view records consent choices: the placement frames (the dialog sees the same context).
  const recordConsent = config.view === 'interstitial' ? () => {} : (context) => consent.record(context);

  const cache = createRenderCache(safeStorage(win, 'sessionStorage'));
  const renderer = createRenderer({
    doc,
    clientId: config.clientId,
    cache,
    visitTokens: createVisitTokenStore(safeStorage(win, 'localStorage')),
    fetchResult: async (params) => {
      mark(win, 'onsite:render-sent');
      const result = await postJsonRpc({ fetchFn: win.fetch.bind(win), url: config.rpcUrl, method: 'placements.render', params });
      mark(win, 'onsite:render-answered');
      return result;
    },
    show: view.show,
    afterRender: view.afterRender,
    extraParams: view.extraParams,
    // Only placements report outcomes: the loader's diagnostics are per placement.
    onOutcome: config.view === 'placement' ? (outcome) => endpoint.notify('placement.outcome', outcome) : undefined,
  });

  endpoint = createRpcEndpoint({
    messenger: createWindowMessenger({ targetWindow: win.parent, targetOrigin: channel.origin, nonce: channel.nonce, listenWindow: win }),
    allowedMethods: ['context.update', ...Object.keys(view.methods)],
    methods: {
      ...view.methods,
      async 'context.update'(params) {
        if (!params || !isPlacementContext(params.context)) throw createRpcError(errorCodes.INVALID_PARAMS);
        recordConsent(params.context);
        await renderer.render(params.context);
        return null;
      },
    },
  });

  // The hello goes out before Knockout binds the view; its answer is handled after this
  // synchronous run. The shell's first render answers the same params without a call.
  const first = config.view === 'placement' ? findFirstRender({ doc, hash: win.location.hash, clientId: config.clientId, cache }) : null;
  // The server's render is kept like an answer (its visit token included); a cached one is
  // found by the renderer in its cache anyway, and its token may be older than the visit's.
  if (first && first.served) renderer.seed(first.params, first.result);
  mark(win, 'onsite:hello-sent');
  const hello = endpoint.call('frame.hello', { version: 1, view: config.view });
  if (first && root.hasAttribute('data-onsite-painted')) {
    // Taken over: the boot script's click catcher stands down (see bootFirstPaint).
    const clicked = root.hasAttribute('data-onsite-clicked');
    root.removeAttribute('data-onsite-painted');
    root.removeAttribute('data-onsite-clicked');
    view.paint(first.result, first.params.theme, clicked);
  }
  installSecureBindings();
  ko.applyBindings(view.viewModel, root);
  mark(win, 'onsite:frame-bound');
  const context = await hello;
  mark(win, 'onsite:hello-answered');
  if (!isPlacementContext(context)) {
    endpoint.close();
    throw createRpcError(errorCodes.HANDSHAKE_FAILED);
  }
  recordConsent(context);
  await renderer.render(context);
  mark(win, 'onsite:frame-shown');
}
