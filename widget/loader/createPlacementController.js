import { debounce } from '../shared/debounce.js';
import { guard } from '../shared/guard.js';
import { markOnce } from '../shared/markOnce.js';
import { buildEventDetail } from './buildEventDetail.js';
import { createViewabilityTracker } from './createViewabilityTracker.js';
import { isNearViewport } from './isNearViewport.js';
import { mountFrame } from './mountFrame.js';
import { observeIntersection } from './observeIntersection.js';

const WATCHED_ATTRIBUTES = ['data-key', 'data-purchase-amount', 'data-locale', 'data-currency', 'data-theme'];
/** How close to the viewport a placement must come before its frame is created (see isNearViewport). */
const NEAR_VIEWPORT = '400px 0px';

/**
 * Keeps one `<onsite-placement>` element and its frame in step.
 *
 * - Lazy: the frame is created only once the element is within NEAR_VIEWPORT
 *   of the viewport (at once if it is at start), and only while its context is valid; an
 *   invalid context (e.g. no amount) removes the frame and reserves no space.
 * - No layout shift: the element's min-height follows the frame's height; the
 *   height remembered from earlier in the visit is reserved up front.
 * - Watched attributes changes are debounced and reach the live frame as
 *   `context.update`, without rebuilding it (and the open interstitial too).
 * - Viewability: half the element visible for 1 s while it shows something
 *   sends `placement.viewable` to the frame, which answers with an impression.
 *
 * @param {object} options
 * @param {Element} options.element
 * @param {Window} options.win
 * @param {string} options.bffOrigin
 * @param {string} options.clientId
 * @param {(element: Element) => object|null} options.buildContext null when the placement cannot show
 * @param {(type: string, detail: object) => void} options.emit
 * @param {(element: Element, context: object, state: string, reason?: string) => void} options.report see createOutcomeReporter
 * @param {() => Promise<string|null>} options.diagnose see mountFrame
 * @param {{open(opener: object): boolean, update(): void}} options.interstitial
 * @param {{get(key: string): number|null, set(key: string, height: number): void}} options.heights
 * @param {{has(firstPaint: object): boolean, add(firstPaint: object): void}} options.paints see createPaintMemory
 * @returns {{refresh(): void, destroy(): void}}
 */
export function createPlacementController({ element, win, bffOrigin, clientId, buildContext, emit, report, diagnose, interstitial, heights, paints }) {
  const doc = element.ownerDocument;
  let context = null;
  let frame = null;
  let near = false;
  const reserve = (height) => {
    element.style.minHeight = height + 'px';
  };
  const getContext = () => (context = buildContext(element) || context);
  const viewability = createViewabilityTracker({ onViewable: () => frame && frame.notify('placement.viewable') });

  function onResize(height) {
    reserve(height);
    viewability.setShowing(height > 0);
    if (context) heights.set(context.placement_key, height);
    if (height > 0) markOnce(win, 'onsite:badge-visible');
  }

  const opener = {
    getContext,
    afterClose(previous) {
      if (frame && previous === frame.iframe) frame.notify('frame.focus');
    },
  };

  function mount() {
    frame = mountFrame({
      element,
      win,
      bffOrigin,
      clientId,
      getContext,
      onResize,
      onOpen: () => interstitial.open(opener),
      onEvent: (type, params) => emit(type, buildEventDetail(context, params)),
      onOutcome: (state, reason) => report(element, context, state, reason),
      diagnose,
      paints,
    });
    viewability.reset();
  }

  function sync() {
    context = buildContext(element);
    if (!context) {
      if (frame) frame.destroy();
      frame = null;
      reserve(0);
    } else if (frame) {
      frame.update();
      interstitial.update();
    } else if (near) {
      mount();
    }
  }

  const scheduleSync = debounce(guard(sync), 50);
  const attributes = new win.MutationObserver(scheduleSync);
  attributes.observe(element, { attributes: true, attributeFilter: WATCHED_ATTRIBUTES });
  const onVisibility = guard(() => viewability.setPageVisible(!doc.hidden));
  doc.addEventListener('visibilitychange', onVisibility);
  if (!element.style.display) element.style.display = 'block';
  const remembered = heights.get(element.getAttribute('data-key'));
  if (remembered !== null && !element.style.minHeight) reserve(remembered);
  near = isNearViewport(element, win);
  sync();

  const stopNear = observeIntersection({
    element,
    win,
    rootMargin: NEAR_VIEWPORT,
    onChange(entry) {
      if (!entry.isIntersecting || near) return;
      near = true;
      sync();
    },
  });
  const stopVisible = observeIntersection({
    element,
    win,
    threshold: [0, 0.5, 1],
    onChange: (entry) => viewability.setRatio(entry.isIntersecting ? entry.intersectionRatio : 0),
  });

  return {
    refresh: sync,
    destroy() {
      scheduleSync.cancel();
      attributes.disconnect();
      stopNear();
      stopVisible();
      doc.removeEventListener('visibilitychange', onVisibility);
      viewability.setShowing(false);
      if (frame) frame.destroy();
      frame = null;
    },
  };
}
