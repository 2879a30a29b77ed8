import { interAdvances } from './interAdvances.js';

const FAMILY = 'Onsite Inter';
let tables = null;

/** Code point -> advance (font units), per weight, decoded once from interAdvances. */
function advancesAt(weight) {
  if (!tables) {
    tables = new Map();
    const codePoints = interAdvances.ranges.flatMap(([from, to]) => Array.from({ length: to - from + 1 }, (_, i) => from + i));
    let row = codePoints.map(() => 0);
    interAdvances.weights.forEach((w, i) => {
      row = row.map((value, j) => value + interAdvances.steps[i][j]);
      tables.set(w, new Map(codePoints.map((cp, j) => [cp, row[j]])));
    });
  }
  return tables.get(weight) || null;
}

/**
 * The width in CSS px of `text` set in the frames' own font ("Onsite Inter",
 * widget/frame/interAdvances.js) at `weight` and `fontSize` px: the sum of the
 * font's advance widths, with no kerning, so the same in every engine.
 * Returns null when the answer is not known: another font family, a weight
 * the table lacks, or a character outside the shipped Latin subset (the
 * caller then measures with the engine).
 *
 * @param {{text: string, family: string, weight: number, fontSize: number}} run
 * @returns {number|null}
 */
export function measureRun({ text, family, weight, fontSize }) {
  if (family.split(',')[0].replace(/["']/g, '').trim() !== FAMILY || !(fontSize > 0)) return null;
  const table = advancesAt(weight);
  if (!table) return null;
  let units = 0;
  for (const char of text) {
    const advance = table.get(char.codePointAt(0));
    if (advance === undefined) return null;
    units += advance;
  }
  return (units * fontSize) / interAdvances.unitsPerEm;
}
