import { isRateMetric } from './isRateMetric.js';

/**
 * Formats a metric value for tables and axes: rates as percentages, counts as integers
 * with thousands separators; null (no data) as an en dash.
 *
 * @param {number|null|undefined} value
 * @param {string} metric
 * @returns {string}
 */
export function formatValue(value, metric) {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  if (isRateMetric(metric)) return (value * 100).toFixed(1) + ' %';
  return Math.round(value).toLocaleString('en-GB');
}
