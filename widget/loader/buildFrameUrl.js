// The context fields a render depends on (see widget/frame/buildRenderParams.js).
const RENDER_FIELDS = ['client_id', 'placement_key', 'locale', 'purchase_amount', 'session_id', 'currency', 'theme', 'page_type', 'country', 'consent'];

/**
 * URL of a frame: `/frame/placement` (default) or `/frame/interstitial`. The
 * nonce and the parent origin travel in the fragment, so they never reach the
 * server, its logs or any Referer header. So does `render`, the placement's
 * first context (its render fields only), which lets the frame start its first
 * render before the handshake ends (widget/frame/readInlineRender.js); left out
 * when the shopper carries a customer token, which never goes into a URL.
 *
 * @param {{bffOrigin: string, clientId: string, nonce: string, parentOrigin: string, view?: 'placement'|'interstitial', render?: object}} options
 * @returns {string}
 */
export function buildFrameUrl({ bffOrigin, clientId, nonce, parentOrigin, view = 'placement', render }) {
  return (
    bffOrigin +
    '/frame/' +
    (view === 'interstitial' ? 'interstitial' : 'placement') +
    '?client_id=' +
    encodeURIComponent(clientId) +
    '#nonce=' +
    nonce +
    '&origin=' +
    encodeURIComponent(parentOrigin) +
    (render && !render.customer_token ? '&render=' + encodeURIComponent(JSON.stringify(render, RENDER_FIELDS)) : '')
  );
}
