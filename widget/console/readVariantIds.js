/**
 * The ids of the campaign form's variant rows that have one, in row order
 * (from the form's entries, `new FormData(form).entries()`): the
 * draft's variants in the order the server reads them (bff/console/campaign_form.py
 * drops empty rows and keeps the others' order), so an id's index here is the
 * variant index a preview session id names.
 *
 * @param {Iterable<[string, FormDataEntryValue]>} entries
 * @returns {string[]}
 */
export function readVariantIds(entries) {
  const rows = [];
  for (const [name, value] of entries) {
    const match = /^variants-(\d{1,4})-id$/.exec(name);
    if (match && typeof value === 'string' && value.trim()) rows.push([Number(match[1]), value.trim()]);
  }
  return rows.sort((a, b) => a[0] - b[0]).map(([, id]) => id);
}
