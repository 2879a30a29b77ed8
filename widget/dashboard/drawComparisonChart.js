import uPlot from 'uplot';
import { comparisonSeries } from './comparisonSeries.js';
import { formatUtcTime } from './formatUtcTime.js';
import { formatValue } from './formatValue.js';

/**
 * Draws (replacing any previous chart in `container`) a uPlot line chart of one metric
 * per minute: `today` and, when given, `yesterday` and `last_week` over the same minutes
 * of the day (`comparisonSeries`).
 *
 * @param {HTMLElement} container
 * @param {{minutes: number[], today: (number|null)[], yesterday?: (number|null)[], last_week?: (number|null)[], metric: string}} data
 * @returns {uPlot}
 */
export function drawComparisonChart(container, data) {
  container.textContent = '';
  const width = Math.max(320, container.clientWidth || 640);
  const { series, columns } = comparisonSeries(data);
  const { metric } = data;
  const options = {
    width,
    height: 240,
    series: series.map((s, i) => (i === 0 ? { value: (u, v) => (v == null ? '–' : formatUtcTime(v * 1000)) } : { ...s, value: (u, v) => formatValue(v, metric) })),
    scales: { x: { time: false } },
    axes: [
      { values: (u, splits) => splits.map((v) => formatUtcTime(v * 1000)) },
      { values: (u, splits) => splits.map((v) => formatValue(v, metric)), size: 70 },
    ],
  };
  return new uPlot(options, columns, container);
}
