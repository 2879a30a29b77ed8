import { guard } from '../shared/guard.js';
import { applyBrand } from './applyBrand.js';
import { createDialogLayout } from './createDialogLayout.js';
import { createInterstitialViewModel } from './createInterstitialViewModel.js';
import { trapTab } from './trapTab.js';

const ignore = () => {};

/**
 * The interstitial view of the frame app: the modal "learn more" dialog in
 * the full-viewport overlay iframe. Renders with `view: "interstitial"`.
 *
 * Escape, a click on the backdrop and the close button ask the parent to
 * close it (`interstitial.close`); Tab and Shift+Tab stay inside the dialog.
 * The first time it has something to show, the dialog takes focus and
 * "interstitial_open" is tracked; with nothing to show it closes itself.
 * Its text is laid out from the font's metrics (createDialogLayout), so every
 * engine shows the same lines.
 *
 * @param {object} options
 * @param {Document} options.doc
 * @param {HTMLElement} options.root #onsite-root
 * @param {(type: string, context: object, shown?: object|null) => void} options.track the tracker (shown: the render result)
 * @param {{call(method: string, params?: object): Promise<any>}} options.parent
 */
export function createInterstitialView({ doc, root, track, parent }) {
  let opened = false;
  const close = () => parent.call('interstitial.close').catch(ignore);
  const viewModel = createInterstitialViewModel({ close });
  const dialog = root.querySelector('[data-onsite-dialog]');
  createDialogLayout({ win: doc.defaultView, root, dialog });
  // Listening from the start: the loader focuses the overlay as soon as it has
  // answered the hello, so a key can arrive before the first render.
  root.querySelector('[data-onsite-backdrop]').addEventListener('click', guard(close));
  doc.addEventListener(
    'keydown',
    guard((event) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        close();
      } else if (event.key === 'Tab' && viewModel.isReady()) {
        trapTab(event, dialog);
      }
    }),
  );

  return {
    viewModel,
    extraParams: { view: 'interstitial' },
    methods: {},
    show(result, context) {
      viewModel.show(result, context.theme);
      viewModel.logoUrl(applyBrand(root, result, viewModel.theme(), context.theme_vars).logoUrl);
      if (!viewModel.isReady()) {
        close();
      } else if (!opened) {
        opened = true;
        dialog.focus();
        track('interstitial_open', context, result);
      }
    },
    afterRender: ignore,
  };
}
