/**
 * URL of a frame: `/frame/placement` (default) or `/frame/interstitial`. The
 * nonce and the parent origin travel in the fragment, so they never reach the
 * server, its logs or any Referer header.
 *
 * @param {{bffOrigin: string, clientId: string, nonce: string, parentOrigin: string, view?: 'placement'|'interstitial'}} options
 * @returns {string}
 */
export function buildFrameUrl({ bffOrigin, clientId, nonce, parentOrigin, view = 'placement' }) {
  return (
    bffOrigin +
    '/frame/' +
    (view === 'interstitial' ? 'interstitial' : 'placement') +
    '?client_id=' +
    encodeURIComponent(clientId) +
    '#nonce=' +
    nonce +
    '&origin=' +
    encodeURIComponent(parentOrigin)
  );
}
