import { isPlacementContext } from './isPlacementContext.js';

const MAX_CHARS = 2048;

/**
 * Reads the first render's context that the loader wrote into the frame URL's
 * fragment (`&render=<encoded JSON>`, see widget/loader/buildFrameUrl.js), for
 * the client this frame was served for. Returns null when it is absent, too
 * long, not JSON, not a placement context (see isPlacementContext) or for
 * another client.
 *
 * It is only a head start: the frame may fetch this render while the handshake
 * runs, but shows it only if the context the verified parent sends in its
 * `frame.hello` answer asks for the very same render (see createRenderer's
 * `prefetch`). Nothing is posted to the parent before that answer.
 *
 * @param {string} hash location.hash
 * @param {string} clientId
 * @returns {object|null}
 */
export function readInlineRender(hash, clientId) {
  if (typeof hash !== 'string' || hash.length > MAX_CHARS) return null;
  const encoded = new URLSearchParams(hash.replace(/^#/, '')).get('render');
  let context;
  try {
    context = JSON.parse(encoded);
  } catch {
    return null;
  }
  return isPlacementContext(context) && context.client_id === clientId ? context : null;
}
