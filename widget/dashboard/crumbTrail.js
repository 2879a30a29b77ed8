/**
 * The breadcrumbs of a selection: `[label, combo]` pairs from `root` (all traffic `*`, or
 * a merchant admin's `merchant=<id>`) down to `combo`, one per dimension fixed below the
 * root. A `combo` outside `root` yields just the root.
 *
 * @param {string} combo e.g. "merchant=acme|browser=Firefox" or "*"
 * @param {string} [root]
 * @returns {[string, string][]}
 */
export function crumbTrail(combo, root = '*') {
  const parts = combo === '*' ? [] : combo.split('|');
  const rootParts = root === '*' ? [] : root.split('|');
  if (rootParts.some((part, i) => parts[i] !== part)) return [[label(root), root]];
  const trail = [[label(root), root]];
  for (let i = rootParts.length; i < parts.length; i += 1) {
    trail.push([parts[i].replace('=', ': '), parts.slice(0, i + 1).join('|')]);
  }
  return trail;
}

function label(combo) {
  return combo === '*' ? 'all traffic' : combo.split('|').map((part) => part.replace('=', ': ')).join(', ');
}
