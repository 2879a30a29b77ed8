/**
 * Checks the shape of a placement context received from the parent page:
 * `{client_id, placement_key, locale, purchase_amount, currency, session_id, theme}`
 * with a non-negative integer amount and string-or-null currency and theme.
 *
 * @param {unknown} value
 * @returns {boolean}
 */
export function isPlacementContext(value) {
  if (typeof value !== 'object' || value === null) return false;
  return (
    isText(value.client_id) &&
    isText(value.placement_key) &&
    isText(value.locale) &&
    Number.isSafeInteger(value.purchase_amount) &&
    value.purchase_amount >= 0 &&
    isText(value.session_id) &&
    (value.currency === null || isText(value.currency)) &&
    (value.theme === null || isText(value.theme))
  );
}

function isText(value) {
  return typeof value === 'string' && value !== '';
}
