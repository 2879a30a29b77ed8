import { isRenderResult } from './isRenderResult.js';
import { readHashJson } from './readHashVars.js';

const MAX_CHARS = 65536;

/**
 * Reads the first render the server wrote into the placement shell
 * (`<script type="application/json" id="onsite-first-render">`, see
 * bff/first_render.py): `{params, result}`, the params the loader put in the
 * frame URL and the `placements.render` result for them. Returns null when it
 * is absent, too long, not JSON, for another client, or not a render result.
 *
 * It stands for the render of those params (createRenderer's `seed`): shown
 * at once by the shell's boot script (boot.js), and by the frame app only if
 * the verified parent's hello asks for the very same params.
 *
 * @param {Document} doc
 * @param {string} clientId the client the frame was served for
 * @returns {{params: object, result: object}|null}
 */
export function readFirstRender(doc, clientId) {
  const element = doc.getElementById('onsite-first-render');
  const json = element ? element.textContent : '';
  if (!json || json.length > MAX_CHARS) return null;
  let first;
  try {
    first = JSON.parse(json);
  } catch {
    return null;
  }
  if (typeof first !== 'object' || first === null) return null;
  const { params, result } = first;
  return isParamsFor(params, clientId) && isRenderResult(result) ? { params, result } : null;
}

/**
 * The first render this frame can paint before its handshake, and where it
 * comes from: the one the server wrote into the shell (`served: true`, see
 * readFirstRender), else the frame's own cached render (`cache.get`) of the
 * params the loader wrote into the URL's fragment (`&render=`) because this
 * visit's frame rendered them before (widget/loader/createPaintMemory.js).
 * Null when there is neither, or the fragment's params are for another client.
 *
 * @param {{doc: Document, hash: string, clientId: string, cache: {get(params: object): object|null}}} options
 * @returns {{params: object, result: object, served: boolean}|null}
 */
export function findFirstRender({ doc, hash, clientId, cache }) {
  const first = readFirstRender(doc, clientId);
  if (first) return { ...first, served: true };
  const params = readHashJson(hash, 'render');
  if (!isParamsFor(params, clientId)) return null;
  const result = cache.get(params);
  return result ? { params, result, served: false } : null;
}

/** Render params of a visit (a `session_id` string) for the client this frame was served for. */
function isParamsFor(params, clientId) {
  return typeof params === 'object' && params !== null && params.client_id === clientId && typeof params.session_id === 'string';
}
