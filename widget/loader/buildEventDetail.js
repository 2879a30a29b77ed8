const LABEL = /^[\w.:-]{1,64}$/;

/**
 * What an `Onsite.on()` subscriber receives: the placement's public facts, and
 * the campaign id and variant when the frame sent well-formed ones, and the
 * reason of an `empty` or `failed` outcome (a fixed code such as
 * `origin_not_allowed` or `outside_amount_range`). Nothing
 * else from the frame is passed on, so no personal data reaches page scripts.
 *
 * @param {object} context the placement context
 * @param {{campaign_id?: unknown, variant?: unknown, reason?: unknown}} [extra] as sent by the frame
 * @returns {{placement_key: string, purchase_amount: number, currency: string|null, locale: string, campaign_id?: string, variant?: string, reason?: string}}
 */
export function buildEventDetail(context, extra = {}) {
  const detail = {
    placement_key: context.placement_key,
    purchase_amount: context.purchase_amount,
    currency: context.currency,
    locale: context.locale,
  };
  for (const name of ['campaign_id', 'variant', 'reason']) {
    if (typeof extra[name] === 'string' && LABEL.test(extra[name])) detail[name] = extra[name];
  }
  return detail;
}
