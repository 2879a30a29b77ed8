const REASONS = {
  draft_expired: 'draft expired: type to refresh',
  no_market_for_locale: 'the merchant has no market for this locale',
  no_eligible_campaign: 'the draft does not apply here (market, currency, amount or audience)',
  outside_amount_range: 'the amount is outside the campaign’s range',
  unknown_placement: 'unknown placement key',
  invalid_placement: 'the preview request was refused',
  bff_unreachable: 'the server did not answer',
  invalid_answer: 'the server’s answer was not understood',
  frame_timeout: 'the frame did not start',
};

/**
 * What a preview frame's outcome means, in words for the merchant: '' when it
 * rendered, else "Shows nothing: <why>" or "Failed: <why>".
 *
 * @param {unknown} state 'rendered' | 'empty' | 'failed'
 * @param {unknown} reason
 * @returns {string}
 */
export function describePreviewOutcome(state, reason) {
  if (state === 'rendered') return '';
  const why = (typeof reason === 'string' && Object.hasOwn(REASONS, reason) && REASONS[reason]) || (typeof reason === 'string' ? reason.replace(/_/g, ' ') : 'no reason given');
  return (state === 'failed' ? 'Failed: ' : 'Shows nothing: ') + why;
}
