/**
 * What analytics may know of the merchant page, read for each context (SPAs
 * change the path): the
 * page's origin and path (no query, no fragment: personal data hides there),
 * the referrer's origin only, and the utm_source / utm_medium query values.
 * Placement contexts carry these; the frame validates them again.
 *
 * @param {Window} win
 * @param {Document} doc
 * @returns {{page_url: string, referrer: string|null, utm_source: string|null, utm_medium: string|null}}
 */
export function readPageFacts(win, doc) {
  const query = new URLSearchParams(win.location.search);
  let referrer = null;
  try {
    referrer = doc.referrer ? new URL(doc.referrer).origin : null;
  } catch {
    // An unparsable referrer is no referrer.
  }
  return {
    page_url: win.location.origin + win.location.pathname,
    referrer: referrer === 'null' ? null : referrer,
    utm_source: query.get('utm_source'),
    utm_medium: query.get('utm_medium'),
  };
}
