const OPTIONAL = ['currency', 'theme', 'page_type', 'country'];

/**
 * Params of `placements.render` for a context, plus `extra` (the interstitial
 * adds `{view: "interstitial"}`). currency, theme, page_type and country are
 * left out when null so the server applies its own defaults. The shopper's
 * consent goes as `consent: {personalization}` when known, and `customer_token`
 * (signed by the merchant's server) only with consent: without it the server
 * must not even see who the shopper is. Both
 * are part of the params, so personal results are cached apart from generic
 * ones. The context's other fields (page URL, referrer, theme variables) do
 * not change the result, so they are not sent and do not split the cache.
 *
 * @param {object} context a placement context (see isPlacementContext)
 * @param {object} [extra]
 * @returns {object}
 */
export function buildRenderParams(context, extra = {}) {
  const params = {
    client_id: context.client_id,
    placement_key: context.placement_key,
    locale: context.locale,
    purchase_amount: context.purchase_amount,
    session_id: context.session_id,
    ...extra,
  };
  for (const name of OPTIONAL) {
    if (context[name] !== null && context[name] !== undefined) params[name] = context[name];
  }
  if (typeof context.consent === 'boolean') {
    params.consent = { personalization: context.consent };
    if (context.consent && typeof context.customer_token === 'string') params.customer_token = context.customer_token;
  }
  return params;
}
