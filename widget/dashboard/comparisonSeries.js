import { isRateMetric } from './isRateMetric.js';

/**
 * The uPlot series and columns of one metric per minute: `today`, then `yesterday` and
 * `last_week` when given (same minutes of the day). A rate has gaps (minutes without
 * trials are null), so its values are drawn as dots too: a minute between two gaps has no
 * line to draw, and without dots a sparse rate (a few orders a day) left the chart blank.
 *
 * @param {{minutes: number[], today: (number|null)[], yesterday?: (number|null)[], last_week?: (number|null)[], metric: string, is_rate?: boolean}} data
 * @returns {{series: object[], columns: (number|null)[][]}}
 */
export function comparisonSeries({ minutes, today, yesterday, last_week: lastWeek, metric, is_rate: isRate }) {
  const points = isRate || isRateMetric(metric) ? { show: true, size: 4 } : undefined;
  const lines = [
    ['today', today, '#2563eb', 2],
    ['yesterday', yesterday, '#9ca3af', 1.5],
    ['last week', lastWeek, '#d97706', 1],
  ].filter(([, values]) => Array.isArray(values));
  return {
    series: [{}, ...lines.map(([label, , stroke, width]) => ({ label, stroke, width, spanGaps: false, ...(points ? { points } : {}) }))],
    columns: [minutes.map((ms) => ms / 1000), ...lines.map(([, values]) => values)],
  };
}
