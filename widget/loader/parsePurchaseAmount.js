/**
 * Parses a data-purchase-amount value: a non-negative integer number of minor
 * units written in plain digits ("9900"). Anything else, including "9.90",
 * "-1", "1e3" and numbers beyond Number.MAX_SAFE_INTEGER, gives null.
 *
 * @param {string|null|undefined} value
 * @returns {number|null}
 */
export function parsePurchaseAmount(value) {
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (!/^\d+$/.test(text)) return null;
  const amount = Number(text);
  return Number.isSafeInteger(amount) ? amount : null;
}
