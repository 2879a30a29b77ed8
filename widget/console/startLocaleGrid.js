import { buildPreviewContext } from './buildPreviewContext.js';
import { createElement } from './createElement.js';
import { describePreviewOutcome } from './describePreviewOutcome.js';
import { mountPreviewFrame } from './mountPreviewFrame.js';

/**
 * The locale grid (templates/console/grid.html): a real placement frame in
 * every `[data-grid-frame]` cell of `root` (`#locale-grid`), for the cell's
 * locale, currency and country and the grid's draft session, placement key and
 * amount (data attributes written by the server). Under each frame: why it
 * failed, or why it is empty when the server has not said so already.
 *
 * @param {{win: Window, root: HTMLElement}} options
 */
export function startLocaleGrid({ win, root }) {
  const data = root.dataset;
  const amount = Number(data.amount);
  const [, device, draftId] = /^pv-([a-z]+)-(.+)$/.exec(data.sessionId || '') || [];
  if (!data.frameUrl || !draftId || !Number.isSafeInteger(amount)) return;
  for (const cell of root.querySelectorAll('[data-grid-frame]')) {
    const market = { locale: cell.dataset.locale, currency: cell.dataset.currency, country: cell.dataset.country || null };
    const explained = Boolean(cell.parentElement && cell.parentElement.querySelector('[data-testid=grid-empty]'));
    const outcome = createElement(root.ownerDocument, 'p', { class: 'con-hint', 'data-testid': 'grid-outcome' });
    cell.after(outcome);
    mountPreviewFrame({
      win,
      host: cell,
      frameUrl: data.frameUrl,
      view: 'placement',
      getContext: () => buildPreviewContext({ clientId: data.clientId, placementKey: data.placementKey, market, amount, draftId, device, theme: 'light' }),
      // An empty frame's reason is already written, more precisely, by the server; failures are not.
      onOutcome: (state, reason) => {
        outcome.textContent = state === 'empty' && explained ? '' : describePreviewOutcome(state, reason);
      },
    });
  }
}
