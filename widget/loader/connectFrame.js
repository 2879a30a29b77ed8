import { createRpcEndpoint } from '../rpc/createRpcEndpoint.js';
import { createRpcError } from '../rpc/createRpcError.js';
import { createWindowMessenger } from '../rpc/createWindowMessenger.js';
import { errorCodes } from '../rpc/errorCodes.js';
import { guard } from '../shared/guard.js';

/**
 * Serves the parent side of one frame's postMessage RPC.
 *
 * Until the frame's `frame.hello` `{version: 1, view}` arrives (with `view`
 * equal to the expected one; "placement" when left out), that is the only
 * method served. A good hello is answered with the context, calls `onReady`,
 * and from then on `context.get` and `methods` are served, while a second
 * hello is refused (-32601): a replayed hello cannot restart the channel.
 * Without a good hello within `handshakeTimeoutMs` the channel is closed and
 * `onFailed` is called.
 *
 * Before the hello, and once, the `frame.painted` notification is served too:
 * the shell's boot script has painted the first render the frame URL asked for
 * (widget/frame/boot.js) and says how tall it is; `onPainted(params)` decides
 * whether that may be shown. After the hello it is refused like any late call.
 *
 * @param {object} options
 * @param {HTMLIFrameElement} options.iframe connected, with its src set
 * @param {Window} options.win the merchant window
 * @param {string} options.bffOrigin exact origin of the frame
 * @param {string} options.nonce the nonce written into the frame URL
 * @param {'placement'|'interstitial'} options.view
 * @param {() => object} options.getContext
 * @param {Record<string, (params: any) => any>} options.methods served after the hello
 * @param {() => void} options.onReady
 * @param {() => void} options.onFailed
 * @param {(params: unknown) => void} [options.onPainted] the frame's first paint, before the hello
 * @param {number} [options.handshakeTimeoutMs]
 * @returns {{isReady(): boolean, call(method: string, params?: object): Promise<any>, notify(method: string, params?: object): void, close(): void}}
 */
export function connectFrame({ iframe, win, bffOrigin, nonce, view, getContext, methods, onReady, onFailed, onPainted = () => {}, handshakeTimeoutMs = 10000 }) {
  let ready = false;
  let painted = false;
  const isServed = (method) => {
    if (method === 'frame.hello') return !ready;
    if (method === 'frame.painted') return !ready && !painted;
    return ready;
  };
  const endpoint = createRpcEndpoint({
    messenger: createWindowMessenger({ targetWindow: iframe.contentWindow, targetOrigin: bffOrigin, nonce, listenWindow: win }),
    allowedMethods: isServed,
    methods: {
      ...methods,
      'frame.hello'(params) {
        if (!params || params.version !== 1 || (params.view || 'placement') !== view) {
          throw createRpcError(errorCodes.INVALID_PARAMS);
        }
        ready = true;
        clearTimeout(timer);
        onReady();
        return getContext();
      },
      'context.get': () => getContext(),
      'frame.painted'(params) {
        painted = true;
        onPainted(params);
        return null;
      },
    },
  });
  const timer = setTimeout(
    guard(() => {
      endpoint.close();
      onFailed();
    }),
    handshakeTimeoutMs,
  );

  return {
    isReady: () => ready,
    call: endpoint.call,
    notify: endpoint.notify,
    close() {
      clearTimeout(timer);
      endpoint.close();
    },
  };
}
