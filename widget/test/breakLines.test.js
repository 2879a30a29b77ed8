import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { breakLines } from '../frame/breakLines.js';
import { measureRun } from '../frame/measureRun.js';

// Every character 10 px wide: a run's width is its length times 10.
const mono = (run) => run.length * 10;

describe('breakLines', () => {
  it('fills each line greedily and breaks at ordinary spaces only', () => {
    assert.deepEqual(breakLines('aa bb cc dd', 50, mono), ['aa bb', 'cc dd']);
    assert.deepEqual(breakLines('aa bb cc dd', 49, mono), ['aa', 'bb', 'cc', 'dd']);
    assert.deepEqual(breakLines('aa bb cc dd', 110, mono), ['aa bb cc dd']);
  });

  it('keeps words joined by no-break and narrow no-break spaces together', () => {
    assert.deepEqual(breakLines('pay 1\u00a0299,00\u00a0kr now', 120, mono), ['pay', '1\u00a0299,00\u00a0kr', 'now']);
    assert.deepEqual(breakLines('pay 1\u202f299\u202fkr', 90, mono), ['pay', '1\u202f299\u202fkr']);
  });

  it('collapses spaces, tabs and newlines as CSS does, and trims', () => {
    assert.deepEqual(breakLines('  aa \n\t bb  ', 100, mono), ['aa bb']);
    assert.deepEqual(breakLines('', 100, mono), []);
    assert.deepEqual(breakLines(' \n ', 100, mono), []);
  });

  it('is null when a word is wider than a line or a run is not known', () => {
    assert.equal(breakLines('aa bbbbbb', 50, mono), null);
    assert.equal(breakLines('aa bb', 50, (run) => (run.includes('b') ? null : mono(run))), null);
    assert.equal(breakLines('aa', 0, mono), null);
  });

  it('breaks the sv-SE intro from Inter\'s metrics: the amount on the second line of 342 px', () => {
    const intro = 'Välj hur du betalar din beställning på 1\u00a0299,00\u00a0kr.';
    const measure = (text) => measureRun({ text, family: '"Onsite Inter", sans-serif', weight: 400, fontSize: 15 });
    const oneLine = measure(intro.replace(/ /g, ' '));
    // Within a percent of the line: Chromium and Firefox wrap it, WebKitGTK (whole-pixel advances) did not.
    assert.ok(oneLine > 342 && oneLine < 346, String(oneLine));
    assert.deepEqual(breakLines(intro, 342, measure), ['Välj hur du betalar din beställning på', '1\u00a0299,00\u00a0kr.']);
    assert.deepEqual(breakLines(intro, Math.ceil(oneLine), measure), [intro]);
  });
});
