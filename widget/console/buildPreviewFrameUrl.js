/**
 * URL of a preview frame: the console's own frame route for a view
 * (`/console/m/<client_id>/preview/frame/placement` or `.../interstitial`),
 * with the nonce and the parent origin in the fragment, as the loader's
 * buildFrameUrl does, so they never reach the server or its logs.
 *
 * @param {{frameUrl: string, nonce: string, parentOrigin: string}} options
 * @returns {string}
 */
export function buildPreviewFrameUrl({ frameUrl, nonce, parentOrigin }) {
  return frameUrl + '#nonce=' + nonce + '&origin=' + encodeURIComponent(parentOrigin);
}
