import { applyBrand } from './applyBrand.js';
import { createBadgeViewModel } from './createBadgeViewModel.js';
import { createCompactSwitch } from './createCompactSwitch.js';
import { createHeightReporter } from './createHeightReporter.js';

const ignore = () => {};

/**
 * The placement view (badge or strip) of the frame app.
 *
 * Shows render results, keeps the parent told of its height (`frame.resize`,
 * from the first render on),
 * switches to the compact variant when the full message needs too many lines,
 * and on a click of the call to action tracks "click", tells the parent
 * (`event`) and asks it for the interstitial. Served to the parent:
 * `placement.viewable` (tracks one "impression" and tells the parent; when it
 * comes before anything is shown, at the first render that shows) and
 * `frame.focus` (focus returns to the call to action after the interstitial).
 * "view" is tracked the first time the frame shows something.
 *
 * @param {object} options
 * @param {Window} options.win
 * @param {HTMLElement} options.root #onsite-root
 * @param {(type: string, context: object, shown?: object|null) => void} options.track the tracker (shown: the render result)
 * @param {{call(method: string, params?: object): Promise<any>, notify(method: string, params?: object): void}} options.parent
 */
export function createPlacementView({ win, root, track, parent }) {
  let context = null;
  let shown = null;
  let viewed = false;
  let impressed = false;
  let viewable = false;
  // A click on the shell's painted badge before the first render is shown opens the
  // interstitial when it is (see `paint`); without a paint there is nothing to click.
  let painted = false;
  let wantsOpen = false;
  let reporter = null;
  const report = (type) => {
    track(type, context, shown);
    parent.notify('event', { type, campaign_id: shown.campaign_id, variant: shown.variant });
  };
  // The parent may find the placement viewable before the frame shows its first render
  // (the shell painted it before the hello): the impression then counts when it shows.
  const impress = () => {
    if (shown && viewable && !impressed) {
      impressed = true;
      report('impression');
    }
  };
  const open = () => {
    if (!shown) {
      wantsOpen = painted;
      return;
    }
    report('click');
    parent.call('interstitial.open', { placement_key: context.placement_key }).catch(ignore);
  };
  const viewModel = createBadgeViewModel({ open });
  const compact = createCompactSwitch({ element: root.querySelector('[data-onsite-full] > *'), win, onChange: viewModel.tooNarrow });

  return {
    viewModel,
    extraParams: {},
    methods: {
      'placement.viewable'() {
        viewable = true;
        impress();
        return null;
      },
      'frame.focus'() {
        const button = root.querySelector(viewModel.isCompact() ? '[data-onsite-compact] button' : '[data-onsite-full] button');
        if (button) button.focus();
        return null;
      },
    },
    /**
     * Takes on what the shell's boot script painted (bootFirstPaint), before
     * Knockout binds, so that the bindings keep it on screen: the view model
     * shows `result` and the compact state the root records. Nothing is
     * tracked: `show`, once the hello's context asks for the same render, does.
     * `clicked`: the shopper clicked the call to action before the frame app
     * ran; the interstitial then opens at the first render shown, as a click
     * between now and then does.
     */
    paint(result, contextTheme, clicked) {
      viewModel.show(result, contextTheme);
      viewModel.tooNarrow(root.getAttribute('data-compact') === 'true');
      painted = true;
      wantsOpen = Boolean(clicked);
    },
    show(result, newContext) {
      context = newContext;
      viewModel.show(result, newContext.theme);
      shown = viewModel.isHidden() ? null : result;
      applyBrand(root, shown, viewModel.theme(), newContext.theme_vars);
      compact.check();
      if (shown && !viewed) {
        viewed = true;
        track('view', context, shown);
      }
      impress();
      if (shown && wantsOpen) {
        wantsOpen = false;
        open();
      }
    },
    // Heights are reported from the first render on: an earlier 0 would
    // collapse the space the page reserved for the message.
    afterRender() {
      if (!reporter) reporter = createHeightReporter({ root, win, send: (height) => parent.call('frame.resize', { height }).catch(ignore) });
      reporter.report();
    },
  };
}
