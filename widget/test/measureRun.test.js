import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { interAdvances } from '../frame/interAdvances.js';
import { measureRun } from '../frame/measureRun.js';

const FAMILY = '"Onsite Inter", system-ui, sans-serif';
const CODE_POINTS = interAdvances.ranges.flatMap(([from, to]) => Array.from({ length: to - from + 1 }, (_, i) => from + i));
const advance = (char, weight) => {
  const index = CODE_POINTS.indexOf(char.codePointAt(0));
  return interAdvances.steps.slice(0, interAdvances.weights.indexOf(weight) + 1).reduce((sum, row) => sum + row[index], 0);
};

describe('measureRun', () => {
  it('sums the font advances at the weight and size', () => {
    const units = [...'Learn more'].reduce((sum, c) => sum + advance(c, 500), 0);
    const width = measureRun({ text: 'Learn more', family: FAMILY, weight: 500, fontSize: 14 });
    assert.equal(width, (units * 14) / 2048);
    // The width measured in Chromium and Firefox (docs/qa.md): 76.23 px, kerning included.
    assert.ok(Math.abs(width - 76.23) < 1, String(width));
  });

  it('is wider at a heavier weight, and covers the locales\' currency and number signs', () => {
    const regular = measureRun({ text: '£24,75 €119 1 299 kr ×', family: FAMILY, weight: 400, fontSize: 14 });
    const strong = measureRun({ text: '£24,75 €119 1 299 kr ×', family: FAMILY, weight: 650, fontSize: 14 });
    assert.ok(regular > 0 && strong > regular, `${regular} ${strong}`);
  });

  it('interpolates a weight between the table\'s (600: the dialog\'s legend, plan names, totals)', () => {
    const at = (weight) => measureRun({ text: 'Välj betalsätt', family: FAMILY, weight, fontSize: 15 });
    assert.ok(at(500) < at(600) && at(600) < at(650), `${at(500)} ${at(600)} ${at(650)}`);
    // The font instanced at 600 by fontTools (bin/font-metrics' method): 94.666 px.
    assert.ok(Math.abs(at(600) - 94.666) < 0.05, String(at(600)));
  });

  it('does not know other fonts, weights or scripts', () => {
    assert.equal(measureRun({ text: 'Learn more', family: 'system-ui, sans-serif', weight: 400, fontSize: 14 }), null);
    assert.equal(measureRun({ text: 'Learn more', family: FAMILY, weight: 300, fontSize: 14 }), null);
    assert.equal(measureRun({ text: 'Learn more', family: FAMILY, weight: 800, fontSize: 14 }), null);
    assert.equal(measureRun({ text: 'Научете', family: FAMILY, weight: 400, fontSize: 14 }), null);
    assert.equal(measureRun({ text: 'x', family: FAMILY, weight: 400, fontSize: 0 }), null);
  });
});
