const KINDS = ['badge', 'strip', 'interstitial', 'empty'];

/**
 * Checks the shape of a `placements.render` result before it is shown or
 * cached. "empty" needs nothing else; "badge" and "strip" need `html` and
 * `text`; "interstitial" needs a `title` and a non-empty `options` array of
 * objects with string `id` and `label` and a `schedule` array.
 *
 * @param {unknown} value
 * @returns {boolean}
 */
export function isRenderResult(value) {
  if (typeof value !== 'object' || value === null || !KINDS.includes(value.kind)) return false;
  if (value.kind === 'empty') return true;
  if (value.kind === 'interstitial') {
    return typeof value.title === 'string' && Array.isArray(value.options) && value.options.length > 0 && value.options.every(isOption);
  }
  return typeof value.html === 'string' && typeof value.text === 'string';
}

function isOption(option) {
  return (
    typeof option === 'object' &&
    option !== null &&
    typeof option.id === 'string' &&
    typeof option.label === 'string' &&
    Array.isArray(option.schedule)
  );
}
