/**
 * URL of a frame: `/frame/placement` (default) or `/frame/interstitial`.
 *
 * The nonce and the parent origin travel in the fragment, so they never reach
 * the server, its logs or any Referer header; so do the page's theme variables
 * (`vars`). A placement's first render (`firstPaint`, see firstPaintOf) goes in
 * the query as `render=<JSON params>`, for the server to render into the shell:
 * those params hold the visit id and the amount, never a customer token, and
 * such a shell is answered `Cache-Control: private, no-store` and
 * `Referrer-Policy: strict-origin` (docs/security.md, "The first render in the
 * shell's URL"). With `paintFrom: 'cache'` (this visit asked for that render
 * before, so the frame has it cached) the params go in the fragment instead:
 * the shell is the public, cacheable one and the frame paints from its cache.
 *
 * @param {{bffOrigin: string, clientId: string, nonce: string, parentOrigin: string, view?: 'placement'|'interstitial', firstPaint?: {params: object, vars: object|null}|null, paintFrom?: 'server'|'cache'}} options
 * @returns {string}
 */
export function buildFrameUrl({ bffOrigin, clientId, nonce, parentOrigin, view = 'placement', firstPaint = null, paintFrom = 'server' }) {
  const first = view === 'placement' ? firstPaint : null;
  const render = first ? '&render=' + encodeURIComponent(JSON.stringify(first.params)) : '';
  const fromServer = paintFrom !== 'cache';
  return (
    bffOrigin +
    '/frame/' +
    (view === 'interstitial' ? 'interstitial' : 'placement') +
    '?client_id=' +
    encodeURIComponent(clientId) +
    (fromServer ? render : '') +
    '#nonce=' +
    nonce +
    '&origin=' +
    encodeURIComponent(parentOrigin) +
    (fromServer ? '' : render) +
    (first && first.vars ? '&vars=' + encodeURIComponent(JSON.stringify(first.vars)) : '')
  );
}
