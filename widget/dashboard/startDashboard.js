import { drawComparisonChart } from './drawComparisonChart.js';
import { fetchJson } from './fetchJson.js';
import { formatUtcTime } from './formatUtcTime.js';
import { formatValue } from './formatValue.js';
import { renderAnomalies } from './renderAnomalies.js';
import { renderBreakdown } from './renderBreakdown.js';
import { renderCrumbs } from './renderCrumbs.js';

const REFRESH_MS = 10000;

/**
 * Runs the dashboard page: the live overview (refreshed every 10 s), the anomaly list
 * with acknowledge, and the drill-down (breakdown table + chart of the selected combo today
 * against yesterday and last week). The selection lives in the URL hash
 * (`#combo=...&dimension=...&metric=...`). Everything starts at the page's root
 * (`<main data-root>`: all traffic, or a merchant admin's merchant; the server refuses
 * anything outside it); the dimensions are the options the server put in the page.
 *
 * @param {Window} win
 * @param {Document} doc
 */
export function startDashboard(win, doc) {
  const $ = (id) => doc.querySelector(`[data-testid="${id}"]`);
  const csrfToken = doc.querySelector('meta[name="csrf-token"]').content;
  const get = (url) => fetchJson(win.fetch.bind(win), url);
  const main = doc.querySelector('main');
  const root = main.dataset.root || '*';
  const canAcknowledge = main.dataset.canAcknowledge === 'true';
  const dimensions = Array.from($('dimension').options, (option) => option.value);
  const state = readHash(win.location.hash, root, dimensions[0]);
  if (!within(state.combo, root)) state.combo = root;
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
      onAcknowledge: canAcknowledge ? (id) => fetchJson(win.fetch.bind(win), `/monitoring/api/alerts/${id}/ack`, { method: 'POST', csrfToken }).then(refreshAnomalies) : null,
      onSelect: (alert) => select(alert.root, alert.evidence[0] ? alert.evidence[0].metric : state.metric),
    });
  }

  async function refreshDrillDown() {
    renderCrumbs($('crumbs'), state.combo, (combo) => select(combo), root);
    const fixed = state.combo === '*' ? [] : state.combo.split('|').map((part) => part.split('=')[0]);
    for (const option of $('dimension').options) option.disabled = fixed.includes(option.value);
    const open = dimensions.filter((d) => !fixed.includes(d));
    if (!open.includes(state.dimension)) state.dimension = open[0] || dimensions[0];
    $('dimension').value = state.dimension;
    const query = (params) => new URLSearchParams(params).toString();
    const [series, breakdown] = await Promise.all([
      get('/monitoring/api/series?' + query({ combo: state.combo, metric: state.metric })),
      open.length ? get('/monitoring/api/breakdown?' + query({ combo: state.combo, dimension: state.dimension })) : { rows: [] },
    ]);
    $('series-title').textContent = `${series.title}: ${series.label}, today vs yesterday and last week (UTC)`;
    drawComparisonChart($('series-chart'), series);
    $('no-series').hidden = series.has_data;
    $('no-series').textContent = series.has_data ? '' : noDataNote(series);
    renderBreakdown($('breakdown'), $('no-breakdown'), breakdown, (combo) => select(combo));
  }

  function select(combo, metric = state.metric) {
    state.combo = within(combo, root) ? combo : root;
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

function readHash(hash, root, dimension) {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  return {
    combo: params.get('combo') || root,
    dimension: params.get('dimension') || dimension,
    metric: params.get('metric') || 'impression',
  };
}

function within(combo, root) {
  return root === '*' || combo === root || combo.startsWith(root + '|');
}

function noDataNote(series) {
  if (series.metric === 'conversion') {
    return 'No sessions reported for this selection today, yesterday or last week: conversion is orders per session, and sessions come from the merchant\'s server (events.track "session"). Message conversion (orders per viewable impression) needs none.';
  }
  return `No ${series.label} for this selection today, yesterday or last week.`;
}

function writeHash(win, state) {
  const params = new URLSearchParams({ combo: state.combo, dimension: state.dimension, metric: state.metric });
  win.history.replaceState(null, '', '#' + params.toString());
}
