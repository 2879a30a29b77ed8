/**
 * The market the preview starts with: the first of the merchant's markets
 * that the campaign targets (a checked country, then a checked locale or
 * language), else the first market. Returns its index.
 *
 * @param {{locale: string, country?: string|null}[]} markets
 * @param {{countries: string[], locales: string[]}} targets the form's checked values
 * @returns {number}
 */
export function pickPreviewMarket(markets, { countries, locales }) {
  const byCountry = markets.findIndex((m) => m.country && countries.includes(m.country));
  if (byCountry >= 0) return byCountry;
  const byLocale = markets.findIndex((m) => locales.includes(m.locale) || locales.includes(m.locale.split('-')[0]));
  return byLocale >= 0 ? byLocale : 0;
}
