/**
 * Shows the current selection as breadcrumbs: "all traffic" then one crumb per fixed
 * dimension; clicking a crumb calls `onSelect(combo)` with the combo up to it.
 *
 * @param {HTMLElement} nav
 * @param {string} combo e.g. "merchant=acme|browser=Firefox" or "*"
 * @param {(combo: string) => void} onSelect
 */
export function renderCrumbs(nav, combo, onSelect) {
  nav.textContent = '';
  const parts = combo === '*' ? [] : combo.split('|');
  const crumbs = [['all traffic', '*'], ...parts.map((part, i) => [part.replace('=', ': '), parts.slice(0, i + 1).join('|')])];
  crumbs.forEach(([label, target], index) => {
    if (index > 0) nav.append(' › ');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'mon-link';
    button.textContent = label;
    button.disabled = index === crumbs.length - 1;
    button.addEventListener('click', () => onSelect(target));
    nav.append(button);
  });
}
