const KINDS = ['badge', 'strip', 'empty'];

/**
 * Checks the shape of a `placements.render` result before it is shown or
 * cached. "empty" needs nothing else; the other kinds need `html` and `text`.
 *
 * @param {unknown} value
 * @returns {boolean}
 */
export function isRenderResult(value) {
  if (typeof value !== 'object' || value === null || !KINDS.includes(value.kind)) return false;
  return value.kind === 'empty' || (typeof value.html === 'string' && typeof value.text === 'string');
}
