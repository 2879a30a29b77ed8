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
import { parseHashParams } from './parseHashParams.js';
import { postJsonRpc } from './postJsonRpc.js';
import { readInlineRender } from './readInlineRender.js';
import { readShellConfig } from './readShellConfig.js';
import { sendRpcNotification } from './sendRpcNotification.js';

/**
 * Runs a frame: the placement view or the interstitial view, as the shell's
 * `data-view` says. Renders nothing unless it is framed by an origin the
 * shell allows, with a nonce, and that parent answers `frame.hello` with a
 * valid context. Then renders that context and re-renders on `context.update`;
 * the view adds its own methods (see createPlacementView, createInterstitialView).
 *
 * @param {Window} win
 * @param {Document} doc
 */
export async function startFrame(win, doc) {
  mark(win, 'onsite:frame-start');
  const config = readShellConfig(doc);
  const channel = parseHashParams(win.location.hash);
  const root = doc.getElementById('onsite-root');
  if (!config || !channel || !root || win.parent === win) return;
  if (!config.allowedOrigins.includes(channel.origin)) return;

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

  const renderer = createRenderer({
    doc,
    clientId: config.clientId,
    cache: createRenderCache(safeStorage(win, 'sessionStorage')),
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

  // The network goes first, the bindings while it works: the loader's inline first
  // context is fetched now (shown only if the hello's context asks the same) and the hello
  // is posted before Knockout binds the view. Nothing can be shown before the bindings
  // are applied: answers are handled after this synchronous run.
  const inline = readInlineRender(win.location.hash, config.clientId);
  if (inline) renderer.prefetch(inline);
  mark(win, 'onsite:hello-sent');
  const hello = endpoint.call('frame.hello', { version: 1, view: config.view });
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
