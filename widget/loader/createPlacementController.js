import { debounce } from '../shared/debounce.js';
import { guard } from '../shared/guard.js';
import { mountFrame } from './mountFrame.js';
import { readPlacement } from './readPlacement.js';

const WATCHED_ATTRIBUTES = ['data-purchase-amount', 'data-locale', 'data-currency', 'data-theme'];

/**
 * Keeps one `<onsite-placement>` element and its frame in step.
 *
 * A placement with a valid context has exactly one frame; one without (e.g. an
 * invalid amount) has none. Changes to the watched attributes are debounced
 * and sent to the live frame as `context.update`, without rebuilding it.
 *
 * @param {object} options
 * @param {Element} options.element
 * @param {Window} options.win
 * @param {string} options.bffOrigin
 * @param {string} options.clientId
 * @param {() => string} options.getSessionId each call counts as a session use
 * @returns {{refresh(): void, destroy(): void}}
 */
export function createPlacementController({ element, win, bffOrigin, clientId, getSessionId }) {
  let context = null;
  let frame = null;

  function readContext() {
    const placement = readPlacement(element, {
      documentLang: element.ownerDocument.documentElement.lang,
      navigatorLanguage: win.navigator.language,
    });
    if (!placement) return null;
    return { client_id: clientId, ...placement, session_id: getSessionId() };
  }

  function getContext() {
    context = readContext() || context;
    return context;
  }

  function sync() {
    context = readContext();
    if (!context) {
      if (frame) frame.destroy();
      frame = null;
    } else if (frame) {
      frame.update();
    } else {
      frame = mountFrame({ element, win, bffOrigin, clientId, getContext });
    }
  }

  const scheduleSync = debounce(guard(sync), 50);
  const observer = new win.MutationObserver(scheduleSync);
  observer.observe(element, { attributes: true, attributeFilter: WATCHED_ATTRIBUTES });
  if (!element.style.display) element.style.display = 'block';
  sync();

  return {
    refresh: sync,
    destroy() {
      scheduleSync.cancel();
      observer.disconnect();
      if (frame) frame.destroy();
      frame = null;
    },
  };
}
