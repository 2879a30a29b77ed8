/**
 * Checks the shape of a placement context received from the parent page:
 * `{client_id, placement_key, locale, purchase_amount, currency, session_id, theme}`
 * with a non-negative integer amount and string-or-null currency and theme,
 * plus the optional fields the loader adds: page_type, country, page_url,
 * referrer, utm_source and utm_medium (strings or null), consent
 * (boolean or null), customer_token (string or null) and theme_vars (an object
 * of strings, or null).
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
    (value.theme === null || isText(value.theme)) &&
    ['page_type', 'country', 'page_url', 'referrer', 'utm_source', 'utm_medium'].every((name) => optional(value[name], isText)) &&
    optional(value.consent, (consent) => typeof consent === 'boolean') &&
    optional(value.customer_token, isText) &&
    optional(value.theme_vars, isStringMap)
  );
}

function isText(value) {
  return typeof value === 'string' && value !== '';
}

function optional(value, check) {
  return value === undefined || value === null || check(value);
}

function isStringMap(value) {
  return typeof value === 'object' && !Array.isArray(value) && Object.values(value).every((item) => typeof item === 'string');
}
