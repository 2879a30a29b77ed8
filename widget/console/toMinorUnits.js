const AMOUNT = /^(\d{1,12})(?:[.,](\d{1,3}))?$/;

/**
 * An amount typed in major units ("49.99", "49,99", "1 200") as an integer in
 * the currency's minor units, or null when it is not a plain amount or has
 * more decimals than the currency (JPY has none, GBP two).
 *
 * @param {string} text
 * @param {string} currency ISO 4217
 * @returns {number|null}
 */
export function toMinorUnits(text, currency) {
  const match = AMOUNT.exec(String(text).replace(/[\s\u00a0\u202f']/g, ''));
  if (!match) return null;
  const digits = currencyDigits(currency);
  const fraction = match[2] || '';
  if (fraction.length > digits) return null;
  return Number(match[1]) * 10 ** digits + Number(fraction.padEnd(digits, '0') || 0);
}

function currencyDigits(currency) {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits;
  } catch {
    return 2;
  }
}
