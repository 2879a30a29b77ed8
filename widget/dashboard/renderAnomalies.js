import { formatUtcTime } from './formatUtcTime.js';
import { formatValue } from './formatValue.js';

/**
 * Fills the anomalies table: one row per alert with where, what (observed vs expected),
 * status and, for unacknowledged alerts when `onAcknowledge` is given (the role may
 * acknowledge), an Acknowledge button calling `onAcknowledge(id)`.
 * Clicking the "where" cell calls `onSelect(alert)` to drill into the alert's root.
 *
 * @param {HTMLTableElement} table
 * @param {HTMLElement} emptyNote
 * @param {any[]} alerts
 * @param {{onAcknowledge?: ((id: string) => void) | null, onSelect: (alert: any) => void}} handlers
 */
export function renderAnomalies(table, emptyNote, alerts, { onAcknowledge, onSelect }) {
  const body = table.tBodies[0];
  body.textContent = '';
  emptyNote.hidden = alerts.length > 0;
  for (const alert of alerts) {
    const row = body.insertRow();
    row.dataset.alertId = alert.id;
    row.dataset.status = alert.status;
    row.insertCell().textContent = formatUtcTime(alert.raised_ms, true);
    const where = row.insertCell();
    const link = document.createElement('button');
    link.type = 'button';
    link.className = 'mon-link';
    link.textContent = alert.title;
    link.addEventListener('click', () => onSelect(alert));
    where.append(link);
    const top = alert.evidence[0];
    row.insertCell().textContent = top
      ? `${top.metric.replace(/_/g, ' ')} ${top.direction}: ${formatValue(top.observed, top.metric)} vs ${formatValue(top.expected, top.metric)}`
      : '';
    const acknowledged = alert.acknowledged ? ', acknowledged' : '';
    row.insertCell().textContent = alert.status + acknowledged;
    const actions = row.insertCell();
    if (!alert.acknowledged && onAcknowledge) {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = 'Acknowledge';
      button.dataset.testid = 'ack';
      button.addEventListener('click', () => onAcknowledge(alert.id));
      actions.append(button);
    }
  }
}
