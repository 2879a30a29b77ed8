/**
 * How many lines of text a box of content height `height` holds, for a line
 * height and the row gap between wrapped flex lines (both in px). Rounded,
 * since line boxes and gaps are not exact multiples; 1 without a line height.
 *
 * @param {{height: number, lineHeight: number, rowGap?: number}} metrics
 * @returns {number}
 */
export function countLines({ height, lineHeight, rowGap = 0 }) {
  if (!(lineHeight > 0) || !(height > 0)) return height > 0 ? 1 : 0;
  return Math.round((height + rowGap) / (lineHeight + rowGap));
}
