import { formatValue } from './formatValue.js';

/**
 * Fills the breakdown table: one row per value of the dimension (busiest first); clicking
 * a value calls `onSelect(row.combo)` to drill into it.
 *
 * @param {HTMLTableElement} table
 * @param {HTMLElement} emptyNote
 * @param {{rows: any[]}} breakdown
 * @param {(combo: string) => void} onSelect
 */
export function renderBreakdown(table, emptyNote, breakdown, onSelect) {
  const body = table.tBodies[0];
  body.textContent = '';
  emptyNote.hidden = breakdown.rows.length > 0;
  for (const item of breakdown.rows) {
    const row = body.insertRow();
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'mon-link';
    button.textContent = item.value;
    button.dataset.combo = item.combo;
    button.addEventListener('click', () => onSelect(item.combo));
    row.insertCell().append(button);
    row.insertCell().textContent = formatValue(item.events, 'events');
    row.insertCell().textContent = formatValue(item.counts.session, 'session');
    row.insertCell().textContent = formatValue(item.counts.order_created, 'order_created');
    row.insertCell().textContent = formatValue(item.authorization_success_rate, 'authorization_success_rate');
    row.insertCell().textContent = formatValue(item.conversion, 'conversion');
  }
}
