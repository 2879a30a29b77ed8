import { guard } from '../shared/guard.js';
import { startLeadOptions } from './startLeadOptions.js';
import { startLivePreview } from './startLivePreview.js';
import { startLocaleGrid } from './startLocaleGrid.js';

/**
 * Progressive enhancement of the console's server-rendered pages: each page
 * works without it. Starts the enhancements whose elements the page has:
 * the campaign editor's live preview (`#campaign-form` and
 * `#preview[data-preview-url]`), its lead-option lists that follow the payment
 * option rows (`#campaign-form`), and the locale grid (`#locale-grid`).
 *
 * @param {Window} win
 * @param {Document} doc
 */
export function startConsole(win, doc) {
  const form = doc.getElementById('campaign-form');
  const preview = doc.getElementById('preview');
  if (form) guard(startLeadOptions)({ doc, form });
  if (form && preview && preview.getAttribute('data-preview-url')) {
    guard(startLivePreview)({ win, doc, form, root: preview });
  }
  const grid = doc.getElementById('locale-grid');
  if (grid) guard(startLocaleGrid)({ win, root: grid });
}
