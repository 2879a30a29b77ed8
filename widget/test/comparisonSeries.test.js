import assert from 'node:assert/strict';
import { test } from 'node:test';
import { comparisonSeries } from '../dashboard/comparisonSeries.js';

const minutes = [60000, 120000, 180000];

test('a rate is drawn with dots, so a minute between two gaps is visible', () => {
  const { series, columns } = comparisonSeries({ minutes, today: [null, 0.1, null], yesterday: [null, null, null], metric: 'conversion' });
  assert.deepEqual(series.slice(1).map((s) => [s.label, s.points]), [['today', { show: true, size: 4 }], ['yesterday', { show: true, size: 4 }]]);
  assert.deepEqual(columns, [[60, 120, 180], [null, 0.1, null], [null, null, null]]);
});

test('a count is a plain line, with last week when the API sends it', () => {
  const { series, columns } = comparisonSeries({ minutes, today: [1, 2, 3], yesterday: [1, 1, 1], last_week: [0, 0, 5], metric: 'impression' });
  assert.deepEqual(series.slice(1).map((s) => [s.label, 'points' in s]), [['today', false], ['yesterday', false], ['last week', false]]);
  assert.equal(columns.length, 4);
  assert.deepEqual(columns[3], [0, 0, 5]);
});

test('the overview chart has today only', () => {
  const { series } = comparisonSeries({ minutes, today: [1, 2, 3], metric: 'events' });
  assert.equal(series.length, 2);
});
