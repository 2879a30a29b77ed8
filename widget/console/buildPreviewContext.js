/** Until the first valid draft exists: a well-formed id no draft has, so the preview says why. */
export const NO_DRAFT = 'none-yet-none-yet-none';

/**
 * The placement context a preview frame renders (the shape the loader sends,
 * see widget/frame/isPlacementContext.js). The session id names the draft and
 * the device, `pv-<device>-<draft id>` (bff/console/preview_render.py): the
 * server renders that draft, and a new draft is a new session id, which also
 * keeps the frame's render cache from answering with an older draft. The
 * light theme is the frames' default one (null); dark is `dark`. With a
 * `variant` (the draft's variant index, 0-9) the id is `pv-<device>-v<n>-<draft
 * id>` and the frames show that variant; without one, the split decides.
 *
 * @param {object} options
 * @param {string} options.clientId
 * @param {string} options.placementKey
 * @param {{locale: string, currency: string, country?: string|null}} options.market
 * @param {number} options.amount minor units
 * @param {string|null} options.draftId
 * @param {'mobile'|'tablet'|'desktop'} options.device
 * @param {'light'|'dark'} options.theme
 * @param {number|null} [options.variant]
 * @returns {object}
 */
export function buildPreviewContext({ clientId, placementKey, market, amount, draftId, device, theme, variant = null }) {
  const chosen = Number.isInteger(variant) && variant >= 0 && variant <= 9 ? 'v' + variant + '-' : '';
  return {
    client_id: clientId,
    placement_key: placementKey,
    locale: market.locale,
    purchase_amount: amount,
    currency: market.currency,
    country: market.country || null,
    session_id: 'pv-' + device + '-' + chosen + (draftId || NO_DRAFT),
    theme: theme === 'dark' ? 'dark' : null,
  };
}
