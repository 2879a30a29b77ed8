/**
 * JSON.stringify with object keys sorted at every level, so equal data gives
 * the same string whatever order its keys were written in.
 *
 * @param {unknown} value JSON-compatible data
 * @returns {string}
 */
export function stableStringify(value) {
  return JSON.stringify(value, (key, item) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return item;
    const sorted = {};
    for (const name of Object.keys(item).sort()) sorted[name] = item[name];
    return sorted;
  });
}
