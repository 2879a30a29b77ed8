/** Tallest frame the loader allows, so a frame can never take over the page. */
const MAX_HEIGHT = 600;

/**
 * Turns a height requested by a frame into integer CSS pixels in [0, 600].
 * Fractions round up so content is never clipped; non-numbers give 0.
 *
 * @param {unknown} value
 * @returns {number}
 */
export function clampHeight(value) {
  if (typeof value !== 'number' || Number.isNaN(value)) return 0;
  return Math.min(MAX_HEIGHT, Math.max(0, Math.ceil(value)));
}
