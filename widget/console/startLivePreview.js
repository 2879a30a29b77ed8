import { debounce } from '../shared/debounce.js';
import { guard } from '../shared/guard.js';
import { buildPreviewContext } from './buildPreviewContext.js';
import { buildPreviewControls, DEVICE_WIDTHS } from './buildPreviewControls.js';
import { createElement } from './createElement.js';
import { describePreviewOutcome } from './describePreviewOutcome.js';
import { mountPreviewFrame } from './mountPreviewFrame.js';
import { pickPreviewMarket } from './pickPreviewMarket.js';
import { postDraft } from './postDraft.js';
import { readVariantIds } from './readVariantIds.js';
import { toMinorUnits } from './toMinorUnits.js';

const DRAFT_DEBOUNCE_MS = 250;
const COMPACT_WIDTH = 260;
const INTERSTITIAL_HEIGHT = 560;
const DEFAULT_AMOUNT = '100';

/**
 * The campaign editor's live preview, built into `root` (`#preview`, whose
 * `data-preview-url` is the draft URL, `/console/m/<client>/preview/draft`, or
 * the preview's base URL without `/draft`).
 *
 * It reads `<base>/setup` (markets, placement keys, URLs), draws the controls
 * (starting with a market the campaign targets; the variant list follows the
 * draft's) and the real frames: badge, strip, a compact badge (a 260 px container) and
 * the interstitial (in a fixed-height box). Every `input` of `form` posts the
 * draft (debounced 250 ms; only the latest answer applies); a new draft id
 * goes to every frame as `context.update`. The form's problems are listed,
 * and the frames keep the last valid draft. Controls update the frames at once.
 * A "Locales" link opens the grid view of the current draft at the
 * preview's amount (in the minor units of the chosen market's currency).
 *
 * @param {{win: Window, doc: Document, form: HTMLFormElement, root: HTMLElement}} options
 * @returns {Promise<void>}
 */
export async function startLivePreview({ win, doc, form, root }) {
  // The editor names the draft URL (`<base>/draft`); the other preview URLs come from `<base>/setup`.
  const base = root.getAttribute('data-preview-url').replace(/\/+$/, '').replace(/\/draft$/, '');
  const fetchFn = win.fetch.bind(win);
  const response = await fetchFn(base + '/setup', { credentials: 'same-origin' });
  if (!response.ok) return;
  const setup = await response.json();
  const markets = setup.markets.length ? setup.markets : [{ locale: 'en-GB', currency: 'GBP', country: 'GB' }];
  let draftId = null;
  let latest = 0;

  const status = createElement(doc, 'p', { class: 'con-hint', role: 'status', 'data-testid': 'preview-status' }, ['Preview of the draft as you type.']);
  const problemList = createElement(doc, 'ul', { class: 'con-error', 'data-testid': 'preview-problems', hidden: '' });
  const gridLink = createElement(doc, 'a', { class: 'con-button con-button--quiet', 'data-testid': 'preview-grid-link', target: '_blank', rel: 'noopener', href: setup.grid_url }, [
    'Locales: every market at once',
  ]);
  const checked = new FormData(form);
  const marketIndex = pickPreviewMarket(markets, { countries: checked.getAll('countries'), locales: checked.getAll('locales') });
  const controls = buildPreviewControls(doc, { markets, marketIndex, amount: DEFAULT_AMOUNT, onChange: guard(() => refresh()) });
  const device = createElement(doc, 'div', { class: 'con-preview-device', 'data-testid': 'preview-device-stage' });
  // The stage scrolls sideways when the device is wider than the column: focusable and
  // named, so a keyboard can scroll it too (axe: scrollable-region-focusable).
  const stage = createElement(doc, 'div', { class: 'con-preview-stage', tabindex: '0', role: 'region', 'aria-label': 'Preview frames' }, [device]);
  root.classList.add('con-preview');
  root.replaceChildren(controls.element, status, problemList, stage, gridLink);

  const frames = [
    { name: 'badge', label: 'Badge', key: setup.keys.badge, view: 'placement' },
    { name: 'strip', label: 'Strip', key: setup.keys.strip, view: 'placement' },
    { name: 'compact', label: 'Compact (narrow container, ' + COMPACT_WIDTH + ' px)', key: setup.keys.badge, view: 'placement', width: COMPACT_WIDTH },
    { name: 'interstitial', label: 'Interstitial', key: setup.keys.badge, view: 'interstitial', height: INTERSTITIAL_HEIGHT },
  ].map((spec) => mountSpec(spec));

  function mountSpec(spec) {
    const outcome = createElement(doc, 'p', { class: 'con-hint', 'data-testid': 'preview-outcome-' + spec.name });
    const host = createElement(doc, 'div', { class: 'con-preview-host', 'data-testid': 'preview-' + spec.name });
    if (spec.width) host.style.maxWidth = spec.width + 'px';
    device.appendChild(createElement(doc, 'section', { class: 'con-preview-item' }, [createElement(doc, 'h3', {}, [spec.label]), host, outcome]));
    return mountPreviewFrame({
      win,
      host,
      frameUrl: setup.frame_urls[spec.view],
      view: spec.view,
      height: spec.height,
      getContext: () => contextFor(spec.key),
      onOutcome: (state, reason) => {
        outcome.textContent = describePreviewOutcome(state, reason);
      },
    });
  }

  function contextFor(placementKey) {
    const chosen = controls.read();
    const market = markets[chosen.marketIndex] || markets[0];
    const amount = toMinorUnits(chosen.amountText, market.currency);
    return buildPreviewContext({ clientId: setup.client_id, placementKey, market, amount: amount === null ? 0 : amount, draftId, device: chosen.device, theme: chosen.theme, variant: chosen.variant });
  }

  function refresh() {
    const chosen = controls.read();
    device.style.width = (DEVICE_WIDTHS[chosen.device] || DEVICE_WIDTHS.desktop) + 'px';
    root.setAttribute('data-theme', chosen.theme === 'dark' ? 'dark' : 'light');
    const market = markets[chosen.marketIndex] || markets[0];
    const amount = toMinorUnits(chosen.amountText, market.currency);
    gridLink.href = setup.grid_url + '?draft=' + encodeURIComponent(draftId || '') + (amount === null ? '' : '&amount=' + amount);
    for (const frame of frames) frame.update();
  }

  function showProblems(problems) {
    problemList.replaceChildren(...problems.map((p) => createElement(doc, 'li', { 'data-field': p.field }, [p.field + ': ' + p.message])));
    problemList.hidden = problems.length === 0;
  }

  async function saveDraft() {
    const ticket = ++latest;
    let answer;
    try {
      answer = await postDraft({ fetchFn, url: setup.draft_url, form });
    } catch {
      if (ticket === latest) status.textContent = 'The draft could not be saved (network or session): the preview shows the last valid draft.';
      return;
    }
    if (ticket !== latest) return;
    showProblems(answer.problems);
    if (answer.draftId) {
      draftId = answer.draftId;
      controls.setVariants(readVariantIds(new FormData(form).entries()));
      status.textContent = 'Preview of the draft as you type.';
      refresh();
    } else {
      status.textContent = 'The form has problems: the preview shows the last valid draft.';
    }
  }

  const scheduleDraft = debounce(guard(saveDraft), DRAFT_DEBOUNCE_MS);
  form.addEventListener('input', scheduleDraft);
  form.addEventListener('change', scheduleDraft);
  refresh();
  await saveDraft();
}
