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
  return tables.get(weight);
}

/**
 * The width in CSS px of `text` set in the frames' own font ("Onsite Inter",
 * widget/frame/interAdvances.js) at `weight` and `fontSize` px: the sum of the
 * font's advance widths, with no kerning, so the same in every engine. A
 * weight between two of the table's is interpolated linearly (600 from 500
 * and 650: Inter's advances are linear in the weight there, within a font
 * unit of the instanced font's).
 * Returns null when the answer is not known: another font family, a weight
 * outside the table's, or a character outside the shipped Latin subset (the
 * caller then measures with the engine).
 *
 * @param {{text: string, family: string, weight: number, fontSize: number}} run
 * @returns {number|null}
 */
export function measureRun({ text, family, weight, fontSize }) {
  if (family.split(',')[0].replace(/["']/g, '').trim() !== FAMILY || !(fontSize > 0)) return null;
  const { weights } = interAdvances;
  const i = weights.findIndex((w) => w >= weight);
  if (i < 0 || (i === 0 && weights[0] !== weight)) return null;
  const high = advancesAt(weights[i]);
  const low = weights[i] === weight ? high : advancesAt(weights[i - 1]);
  const share = weights[i] === weight ? 1 : (weight - weights[i - 1]) / (weights[i] - weights[i - 1]);
  let units = 0;
  for (const char of text) {
    const advance = high.get(char.codePointAt(0));
    if (advance === undefined) return null;
    units += low.get(char.codePointAt(0)) * (1 - share) + advance * share;
  }
  return (units * fontSize) / interAdvances.unitsPerEm;
}
