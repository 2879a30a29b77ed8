/**
 * The merchant's console warning (also drawn by the debug overlay) for a
 * reason a placement shows nothing, prefixed "[onsite] <reason>: ": what to
 * do, or for the server's empty reasons (`no_eligible_campaign`,
 * `outside_amount_range`, ...) the placement key, locale and amount asked for.
 *
 * @param {string} reason
 * @param {{clientId: string, pageOrigin: string, bffOrigin: string, context: {placement_key: string, locale: string, purchase_amount: number|string}}} facts
 * @returns {string}
 */
export function describeOutcome(reason, { clientId, pageOrigin, bffOrigin, context }) {
  const text = {
    unknown_client: `check data-client-id="${clientId}"`,
    origin_not_allowed: `allow ${pageOrigin} in ${bffOrigin}/console/m/${clientId}/settings`,
    bff_unreachable: `${bffOrigin} did not answer`,
    frame_timeout: `allow ${bffOrigin} in your CSP frame-src`,
  }[reason];
  return `[onsite] ${reason}: ` + (text || `${context.placement_key} ${context.locale} ${context.purchase_amount}`);
}
