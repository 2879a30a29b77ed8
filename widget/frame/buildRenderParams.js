/**
 * Params of `placements.render` for a context. currency and theme are left
 * out when null so the server applies its own defaults.
 *
 * @param {object} context a placement context (see isPlacementContext)
 * @returns {object}
 */
export function buildRenderParams(context) {
  const params = {
    client_id: context.client_id,
    placement_key: context.placement_key,
    locale: context.locale,
    purchase_amount: context.purchase_amount,
    session_id: context.session_id,
  };
  if (context.currency !== null && context.currency !== undefined) params.currency = context.currency;
  if (context.theme !== null && context.theme !== undefined) params.theme = context.theme;
  return params;
}
