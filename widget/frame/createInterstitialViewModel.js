import ko from 'knockout';
import { pickTheme } from './pickTheme.js';

const DEFAULT_LABELS = { total: 'Total', interest: 'Interest', schedule: 'Payment schedule' };
const NO_OPTION = normalizeOption({});

/**
 * View model behind #onsite-root in templates/interstitial.html: the "learn
 * more" dialog. Every string is plain text from the server (bound with
 * `text`), money and dates already formatted.
 *
 * The shopper's choice (`selectedId`, a radio group) drives the computed
 * `selected` option, whose schedule, totals and APR line the dialog shows. A
 * new result keeps the choice when that option still exists, else selects
 * the result's `lead_option`, else its first option.
 *
 * @param {{close: () => void}} actions
 */
export function createInterstitialViewModel({ close }) {
  const options = ko.observableArray([]);
  const recommendations = ko.observableArray([]);
  const delivery = ko.observableArray([]);
  const selectedId = ko.observable(null);
  const texts = ko.observable(normalizeTexts({}));
  const theme = ko.observable('default');
  // The merchant's logo (an https URL the frame checked, or ''): shown in the header.
  const logoUrl = ko.observable('');
  const selected = ko.pureComputed(() => options().find((option) => option.id === selectedId()) || NO_OPTION);

  return {
    options,
    recommendations,
    delivery,
    selectedId,
    selected,
    texts,
    theme,
    logoUrl,
    // The header's <img> exists only with a logo (nothing is fetched, nothing drawn without).
    logoSrc: ko.pureComputed(() => logoUrl() || null),
    isReady: ko.pureComputed(() => options().length > 0),
    close: () => {
      close();
    },

    /**
     * @param {object|null} result an interstitial render result, or null
     * @param {string|null} [contextTheme] used when the result names no theme
     */
    show(result, contextTheme) {
      const usable = Boolean(result) && result.kind === 'interstitial' && Array.isArray(result.options);
      const next = usable ? result.options.map(normalizeOption).filter((option) => option.id) : [];
      const ids = next.map((option) => option.id);
      const keep = ids.includes(selectedId()) ? selectedId() : null;
      const lead = usable && ids.includes(result.lead_option) ? result.lead_option : ids[0] || null;
      texts(normalizeTexts(usable ? result : {}));
      // Personal extras (consented shoppers only): plain texts, empty when unknown.
      recommendations(usable ? listOfTexts(result.recommendations, (item) => item && item.name) : []);
      delivery(usable ? listOfTexts(result.delivery, (item) => item) : []);
      theme(pickTheme(usable && result.theme) || pickTheme(contextTheme) || 'default');
      options(next);
      selectedId(keep || lead);
    },
  };
}

function listOfTexts(list, pick) {
  return Array.isArray(list) ? list.map(pick).filter((value) => typeof value === 'string' && value !== '').slice(0, 5) : [];
}

function text(value, fallback = '') {
  return typeof value === 'string' ? value : fallback;
}

function normalizeTexts(result) {
  const labels = result.labels && typeof result.labels === 'object' ? result.labels : {};
  return {
    title: text(result.title),
    greeting: text(result.greeting),
    recommendedLabel: text(result.recommended_label),
    deliveryLabel: text(result.delivery_label),
    intro: text(result.intro),
    legal: text(result.legal),
    closeLabel: text(result.close_label, 'Close'),
    chooseLabel: text(result.choose_label, 'Choose how to pay'),
    totalLabel: text(labels.total, DEFAULT_LABELS.total),
    interestLabel: text(labels.interest, DEFAULT_LABELS.interest),
    scheduleLabel: text(labels.schedule, DEFAULT_LABELS.schedule),
  };
}

function normalizeOption(option) {
  const schedule = Array.isArray(option.schedule) ? option.schedule : [];
  return {
    id: text(option.id),
    label: text(option.label),
    summary: text(option.summary),
    aprText: text(option.apr_formatted),
    totalText: text(option.total_formatted),
    interestText: text(option.interest_formatted),
    schedule: schedule.map(normalizeRow),
  };
}

// A row's date is shown next to its label unless the label already is that date.
function normalizeRow(row) {
  const label = text(row && row.label);
  const due = text(row && row.due_formatted);
  return { label, due: due === label ? '' : due, amount: text(row && row.formatted) };
}
