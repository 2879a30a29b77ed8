const UTM = /^[A-Za-z0-9 _.+-]{1,64}$/;

/**
 * One event of `events.track` (see docs/widget.md): its id, type and time,
 * and the facts of the placement it is about. page_url is the merchant page's
 * origin and path as given by the loader (no query string, no fragment);
 * referrer (an origin), utm_source and utm_medium are added when the loader
 * found them; currency is the one the server resolved when it is known.
 * campaign_id and variant name the message shown (the render result's), so an
 * order can be attributed to it (docs/attribution.md).
 *
 * @param {object} options
 * @param {'impression'|'view'|'click'|'interstitial_open'} options.type
 * @param {object} options.context the placement context
 * @param {{currency?: string, campaign_id?: string, variant?: string}|null} [options.shown] the render result shown
 * @param {string} options.id a UUID
 * @param {number} options.ts milliseconds since the epoch
 * @returns {object}
 */
export function buildTrackedEvent({ type, context, shown, id, ts }) {
  const event = {
    id,
    type,
    client_id: context.client_id,
    placement_key: context.placement_key,
    session_id: context.session_id,
    ts,
    page_url: context.page_url || null,
    amount: context.purchase_amount,
    currency: (shown && shown.currency) || context.currency || null,
    locale: context.locale,
  };
  for (const name of ['campaign_id', 'variant']) {
    if (shown && typeof shown[name] === 'string') event[name] = shown[name];
  }
  if (typeof context.referrer === 'string' && /^https?:\/\/[^/]+$/.test(context.referrer)) event.referrer = context.referrer;
  for (const name of ['utm_source', 'utm_medium']) {
    if (typeof context[name] === 'string' && UTM.test(context[name])) event[name] = context[name];
  }
  return event;
}
