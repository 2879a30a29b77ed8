/**
 * Greedy line breaking from known text widths: `text` (runs of spaces, tabs
 * and newlines collapse to one space, as in CSS) broken at its ordinary
 * spaces into lines, each filled with as many words as `measure` says fit in
 * `available` px. Never breaks at other spaces: a no-break space (U+00A0) or
 * narrow no-break space (U+202F), as in "1 299,00 kr", holds its words
 * together.
 *
 * A pure function of the copy, the width and the font's metrics (measure:
 * see measureRun; a run's width is at least any of its words'), so every
 * engine gets the same lines. Returns null when the answer is not known:
 * measure does not know a run, or one word is wider than a line (the caller
 * then leaves the wrapping to the engine).
 *
 * @param {string} text
 * @param {number} available CSS px
 * @param {(run: string) => number|null} measure
 * @returns {string[]|null} the lines, without their breaking spaces ([] for no text)
 */
export function breakLines(text, available, measure) {
  const lines = [];
  for (const word of text.split(/[ \t\n\r\f]+/)) {
    if (!word) continue;
    const last = lines.length - 1;
    const width = measure(last < 0 ? word : `${lines[last]} ${word}`);
    if (width === null) return null;
    if (last >= 0 && width <= available) lines[last] += ` ${word}`;
    else if (measure(word) > available) return null;
    else lines.push(word);
  }
  return lines;
}
