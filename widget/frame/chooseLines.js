/**
 * How a badge lays out its message and call to action in `available` px of
 * content width, given their widths and the gap between them (all in CSS px,
 * widths from the font's own metrics: see measureRun):
 * 1 when both fit on one line, 2 when each fits on a line of its own (the
 * call to action below), 0 when the message itself needs more than a line
 * (then the compact variant, or the engine's own wrapping when there is none).
 *
 * A pure function of the container width and the copy, so every engine makes
 * the same choice at the same width, and switching cannot oscillate.
 *
 * @param {{available: number, text: number, cta: number, gap: number}} sizes
 * @returns {0|1|2}
 */
export function chooseLines({ available, text, cta, gap }) {
  if (!(available > 0)) return 0;
  if (text + gap + cta <= available) return 1;
  if (text <= available && cta <= available) return 2;
  return 0;
}
