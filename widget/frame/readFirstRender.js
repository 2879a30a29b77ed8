import { isRenderResult } from './isRenderResult.js';

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
  if (typeof params !== 'object' || params === null || params.client_id !== clientId) return null;
  if (typeof params.session_id !== 'string' || !isRenderResult(result)) return null;
  return { params, result };
}
