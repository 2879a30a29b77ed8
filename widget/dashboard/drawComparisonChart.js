import uPlot from 'uplot';
import { formatUtcTime } from './formatUtcTime.js';
import { formatValue } from './formatValue.js';

/**
 * Draws (replacing any previous chart in `container`) a uPlot line chart of one metric
 * per minute: `today` and, when given, `yesterday` over the same minutes of the day.
 *
 * @param {HTMLElement} container
 * @param {{minutes: number[], today: (number|null)[], yesterday?: (number|null)[], metric: string}} data
 * @returns {uPlot}
 */
export function drawComparisonChart(container, { minutes, today, yesterday, metric }) {
  container.textContent = '';
  const width = Math.max(320, container.clientWidth || 640);
  const series = [{}, { label: 'today', stroke: '#2563eb', width: 2, spanGaps: false }];
  const columns = [minutes.map((ms) => ms / 1000), today];
  if (yesterday) {
    series.push({ label: 'yesterday', stroke: '#9ca3af', width: 1.5, spanGaps: false });
    columns.push(yesterday);
  }
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
