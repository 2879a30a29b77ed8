const PREFIXES = { pay_in_n: 'pay_in_', pay_later: 'pay_later_', financing: 'financing_' };
const INTEGER = /^-?\d{1,9}$/;
const ROW = /^options-(\d{1,4})-(id|type|term|apr|min|max)$/;

/**
 * The payment option ids the campaign form would save, in row order, from the
 * form's entries (`new FormData(form).entries()`), as bff/console/campaign_form.py
 * reads them: a row counts when its id, term, APR, min or max is filled; an empty
 * id is derived from the type and the term (`pay_in_4`, `financing_12`), or from
 * the row's position among the counted rows when the term is not a number.
 *
 * @param {Iterable<[string, FormDataEntryValue]>} entries
 * @returns {string[]} unique ids
 */
export function listOptionIds(entries) {
  const rows = new Map();
  for (const [name, value] of entries) {
    const match = ROW.exec(name);
    if (!match || typeof value !== 'string') continue;
    const index = Number(match[1]);
    if (!rows.has(index)) rows.set(index, {});
    rows.get(index)[match[2]] = value.trim();
  }
  const counted = [...rows.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([, row]) => row)
    .filter((row) => ['id', 'term', 'apr', 'min', 'max'].some((field) => row[field]));
  const ids = counted.map((row, position) => {
    if (row.id) return row.id;
    const kind = row.type || 'pay_in_n';
    return (PREFIXES[kind] || 'option_') + (INTEGER.test(row.term || '') ? row.term : String(position + 1));
  });
  return [...new Set(ids)];
}
