import ko from 'knockout';
import { createRpcEndpoint } from '../rpc/createRpcEndpoint.js';
import { createRpcError } from '../rpc/createRpcError.js';
import { createWindowMessenger } from '../rpc/createWindowMessenger.js';
import { errorCodes } from '../rpc/errorCodes.js';
import { safeStorage } from '../shared/safeStorage.js';
import { createBadgeViewModel } from './createBadgeViewModel.js';
import { createHeightReporter } from './createHeightReporter.js';
import { createRenderCache } from './createRenderCache.js';
import { createRenderer } from './createRenderer.js';
import { installSecureBindings } from './installSecureBindings.js';
import { isPlacementContext } from './isPlacementContext.js';
import { parseHashParams } from './parseHashParams.js';
import { postJsonRpc } from './postJsonRpc.js';
import { readShellConfig } from './readShellConfig.js';

/**
 * Runs the placement frame. Renders nothing unless it is framed by an origin
 * the shell allows, with a nonce, and that parent answers `frame.hello` with a
 * valid context. Then renders that context, re-renders on `context.update`,
 * and keeps the parent told of its height via `frame.resize`.
 *
 * @param {Window} win
 * @param {Document} doc
 */
export async function startFrame(win, doc) {
  const config = readShellConfig(doc);
  const channel = parseHashParams(win.location.hash);
  const root = doc.getElementById('onsite-root');
  if (!config || !channel || !root || win.parent === win) return;
  if (!config.allowedOrigins.includes(channel.origin)) return;

  const viewModel = createBadgeViewModel();
  installSecureBindings();
  ko.applyBindings(viewModel, root);

  let reporter = null;
  const renderer = createRenderer({
    doc,
    clientId: config.clientId,
    cache: createRenderCache(safeStorage(win, 'sessionStorage')),
    fetchResult: (params) =>
      postJsonRpc({ fetchFn: win.fetch.bind(win), url: config.rpcUrl, method: 'placements.render', params }),
    show: viewModel.show,
    afterRender: () => reporter && reporter.report(),
  });

  const endpoint = createRpcEndpoint({
    messenger: createWindowMessenger({ targetWindow: win.parent, targetOrigin: channel.origin, nonce: channel.nonce, listenWindow: win }),
    allowedMethods: ['context.update'],
    methods: {
      async 'context.update'(params) {
        if (!params || !isPlacementContext(params.context)) throw createRpcError(errorCodes.INVALID_PARAMS);
        await renderer.render(params.context);
        return null;
      },
    },
  });

  const context = await endpoint.call('frame.hello', { version: 1 });
  if (!isPlacementContext(context)) {
    endpoint.close();
    throw createRpcError(errorCodes.HANDSHAKE_FAILED);
  }
  reporter = createHeightReporter({
    root,
    win,
    send: (height) => endpoint.call('frame.resize', { height }).catch(() => {}),
  });
  await renderer.render(context);
}
