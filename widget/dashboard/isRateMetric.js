const RATES = ['click_through', 'authorization_success_rate', 'conversion', 'message_conversion'];

/**
 * Whether `metric` is a rate (a proportion shown as a percentage) rather than a count.
 *
 * @param {string} metric
 * @returns {boolean}
 */
export function isRateMetric(metric) {
  return RATES.includes(metric);
}
