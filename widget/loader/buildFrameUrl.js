/**
 * URL of the placement frame. The nonce and the parent origin travel in the
 * fragment, so they never reach the server, its logs or any Referer header.
 *
 * @param {{bffOrigin: string, clientId: string, nonce: string, parentOrigin: string}} options
 * @returns {string}
 */
export function buildFrameUrl({ bffOrigin, clientId, nonce, parentOrigin }) {
  return (
    bffOrigin +
    '/frame/placement?client_id=' +
    encodeURIComponent(clientId) +
    '#nonce=' +
    nonce +
    '&origin=' +
    encodeURIComponent(parentOrigin)
  );
}
