import { drawComparisonChart } from './drawComparisonChart.js';
import { fetchJson } from './fetchJson.js';
import { formatUtcTime } from './formatUtcTime.js';
import { formatValue } from './formatValue.js';
import { renderAnomalies } from './renderAnomalies.js';
import { renderBreakdown } from './renderBreakdown.js';
import { renderCrumbs } from './renderCrumbs.js';

const REFRESH_MS = 10000;
const DIMENSIONS = ['merchant', 'country', 'payment_method', 'browser', 'device', 'channel'];

/**
 * Runs the dashboard page: the live overview (refreshed every 10 s), the anomaly list
 * with acknowledge, and the drill-down (breakdown table + today-vs-yesterday chart of the
 * selected combo). The selection lives in the URL hash (`#combo=...&dimension=...&metric=...`).
 *
 * @param {Window} win
 * @param {Document} doc
 */
export function startDashboard(win, doc) {
  const $ = (id) => doc.querySelector(`[data-testid="${id}"]`);
  const csrfToken = doc.querySelector('meta[name="csrf-token"]').content;
  const get = (url) => fetchJson(win.fetch.bind(win), url);
  const state = readHash(win.location.hash);
  $('dimension').value = state.dimension;
  $('metric').value = state.metric;

  async function refreshOverview() {
    const data = await get('/monitoring/api/overview');
    $('kpi-events').textContent = formatValue(data.events_last_minute, 'events');
    $('kpi-conversion').textContent = formatValue(data.conversion_rate, 'conversion');
    $('kpi-open').textContent = String(data.open_anomalies);
    drawComparisonChart($('overview-chart'), { minutes: data.minutes, today: data.events_per_minute, metric: 'events' });
    $('updated').textContent = 'updated ' + formatUtcTime(Date.now()) + ' UTC';
  }

  async function refreshAnomalies() {
    const { alerts } = await get('/monitoring/api/alerts');
    renderAnomalies($('anomalies'), $('no-anomalies'), alerts, {
      onAcknowledge: (id) => fetchJson(win.fetch.bind(win), `/monitoring/api/alerts/${id}/ack`, { method: 'POST', csrfToken }).then(refreshAnomalies),
      onSelect: (alert) => select(alert.root, alert.evidence[0] ? alert.evidence[0].metric : state.metric),
    });
  }

  async function refreshDrillDown() {
    renderCrumbs($('crumbs'), state.combo, (combo) => select(combo));
    const fixed = state.combo === '*' ? [] : state.combo.split('|').map((part) => part.split('=')[0]);
    for (const option of $('dimension').options) option.disabled = fixed.includes(option.value);
    if (fixed.includes(state.dimension)) state.dimension = DIMENSIONS.find((d) => !fixed.includes(d)) || 'merchant';
    $('dimension').value = state.dimension;
    const query = (params) => new URLSearchParams(params).toString();
    const [series, breakdown] = await Promise.all([
      get('/monitoring/api/series?' + query({ combo: state.combo, metric: state.metric })),
      fixed.length < DIMENSIONS.length ? get('/monitoring/api/breakdown?' + query({ combo: state.combo, dimension: state.dimension })) : { rows: [] },
    ]);
    $('series-title').textContent = `${series.title}: ${series.label}, today vs yesterday (UTC)`;
    drawComparisonChart($('series-chart'), series);
    renderBreakdown($('breakdown'), $('no-breakdown'), breakdown, (combo) => select(combo));
  }

  function select(combo, metric = state.metric) {
    state.combo = combo;
    state.metric = metric;
    $('metric').value = metric;
    writeHash(win, state);
    report(refreshDrillDown());
  }

  function report(promise) {
    promise.catch((error) => {
      $('updated').textContent = 'update failed (' + error.message + ')';
    });
  }

  $('dimension').addEventListener('change', () => {
    state.dimension = $('dimension').value;
    writeHash(win, state);
    report(refreshDrillDown());
  });
  $('metric').addEventListener('change', () => select(state.combo, $('metric').value));
  const refreshAll = () => report(Promise.all([refreshOverview(), refreshAnomalies()]));
  refreshAll();
  report(refreshDrillDown());
  win.setInterval(refreshAll, REFRESH_MS);
}

function readHash(hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  return {
    combo: params.get('combo') || '*',
    dimension: params.get('dimension') || 'merchant',
    metric: params.get('metric') || 'impression',
  };
}

function writeHash(win, state) {
  const params = new URLSearchParams({ combo: state.combo, dimension: state.dimension, metric: state.metric });
  win.history.replaceState(null, '', '#' + params.toString());
}
