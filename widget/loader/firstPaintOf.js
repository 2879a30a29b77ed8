import { buildRenderParams } from '../shared/buildRenderParams.js';

/**
 * What a placement's frame shell can be asked to paint before its handshake:
 * the first render's params, exactly as the frame would send them to
 * `placements.render` (buildRenderParams), and the page's theme variables
 * (`vars`, null when there are none). The server renders the params into the
 * shell (bff/first_render.py) and the shell's boot script paints the result
 * (widget/frame/boot.js).
 *
 * Null without a context, and when the render would carry a customer token:
 * a token never goes into a URL, so such a frame takes the handshake's path.
 *
 * @param {object|null} context a placement context
 * @returns {{params: object, vars: Record<string, string>|null}|null}
 */
export function firstPaintOf(context) {
  if (!context) return null;
  const params = buildRenderParams(context);
  if ('customer_token' in params) return null;
  const vars = context.theme_vars && Object.keys(context.theme_vars).length > 0 ? context.theme_vars : null;
  return { params, vars };
}
