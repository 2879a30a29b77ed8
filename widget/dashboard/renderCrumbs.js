import { crumbTrail } from './crumbTrail.js';

/**
 * Shows the current selection as breadcrumbs from `root` (`crumbTrail`); clicking a crumb
 * calls `onSelect(combo)` with the combo up to it.
 *
 * @param {HTMLElement} nav
 * @param {string} combo e.g. "merchant=acme|browser=Firefox" or "*"
 * @param {(combo: string) => void} onSelect
 * @param {string} [root]
 */
export function renderCrumbs(nav, combo, onSelect, root = '*') {
  nav.textContent = '';
  const crumbs = crumbTrail(combo, root);
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
