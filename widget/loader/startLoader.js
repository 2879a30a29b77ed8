import { guard } from '../shared/guard.js';
import { markOnce } from '../shared/markOnce.js';
import { randomHex } from '../shared/randomHex.js';
import { safeStorage } from '../shared/safeStorage.js';
import { checkFrameAccess } from './checkFrameAccess.js';
import { createEventBus } from './createEventBus.js';
import { createHeightMemory } from './createHeightMemory.js';
import { createPaintMemory } from './createPaintMemory.js';
import { createInterstitialController } from './createInterstitialController.js';
import { createOutcomeReporter } from './createOutcomeReporter.js';
import { createPlacementController } from './createPlacementController.js';
import { createPublicApi } from './createPublicApi.js';
import { createSessionStore } from './createSessionStore.js';
import { createVisitCommands } from './createVisitCommands.js';
import { readPageFacts } from './readPageFacts.js';
import { readPlacement } from './readPlacement.js';
import { readThemeVars } from './readThemeVars.js';

const PLACEMENT = 'onsite-placement';
// A customer token: a JWT signed by the merchant's server (three base64url parts).
const CUSTOMER_TOKEN = /^[\w-]+\.[\w-]+\.[\w-]+$/;

/**
 * Starts the loader on the merchant page: one controller per
 * `<onsite-placement>`, now and as placements are added or removed later, the
 * interstitial, and `window.Onsite`. Does nothing without a loader script
 * carrying data-client-id, or when another copy of the loader already runs.
 * Says why a placement shows nothing (see createOutcomeReporter); with
 * `onsite-debug=1` in the page URL it adds the debug overlay (onsite-debug.js).
 *
 * @param {Window} win
 * @param {Document} doc
 * @param {HTMLScriptElement|null} script the loader's own script element
 */
export function startLoader(win, doc, script) {
  const clientId = script && script.getAttribute('data-client-id');
  if (!clientId || isRunning(win.Onsite)) return;
  markOnce(win, 'onsite:loader-start');
  const bffOrigin = new URL(script.src, doc.baseURI).origin;
  const session = createSessionStore({ storage: safeStorage(win, 'localStorage'), createId: () => randomHex(16) });
  const shopper = { consent: null, customer_token: null };
  const bus = createEventBus();
  const controllers = new Map();
  const pageOrigin = win.location.origin;
  let access = null;
  // Asked at most once per page, and only when a frame is late (see mountFrame).
  const diagnose = () =>
    access || (access = checkFrameAccess({ doc, setTimer: win.setTimeout.bind(win), bffOrigin, clientId, origin: pageOrigin }));
  const report = createOutcomeReporter({ emit: bus.emit, warn: (text) => win.console.warn(text), facts: { clientId, pageOrigin, bffOrigin } });
  if (/[?&]onsite-debug=1(&|$)/.test(win.location.search)) {
    const debug = doc.createElement('script');
    debug.src = bffOrigin + '/onsite-debug.js';
    doc.head.appendChild(debug);
  }

  function buildContext(element) {
    const placement = readPlacement(element, {
      documentLang: doc.documentElement.lang,
      navigatorLanguage: win.navigator.language,
    });
    if (!placement) return null;
    return {
      client_id: clientId,
      ...placement,
      session_id: session.getId(),
      ...readPageFacts(win, doc),
      ...readShopperAttributes(element, script),
      ...definedOnly(shopper),
      theme_vars: readThemeVars(element, win),
    };
  }

  const options = {
    win,
    bffOrigin,
    clientId,
    buildContext,
    emit: bus.emit,
    report,
    diagnose,
    interstitial: createInterstitialController({ win, doc, bffOrigin, clientId, emit: bus.emit }),
    heights: createHeightMemory(safeStorage(win, 'sessionStorage')),
    paints: createPaintMemory(safeStorage(win, 'sessionStorage')),
  };

  function mountWithin(root) {
    const found = [...root.querySelectorAll(PLACEMENT)];
    if (root.nodeType === 1 && root.matches(PLACEMENT)) found.push(root);
    for (const element of found) {
      if (controllers.has(element) || !element.isConnected) continue;
      // One broken placement must not keep the others from mounting.
      const controller = guard(createPlacementController)({ element, ...options });
      if (controller) controllers.set(element, controller);
    }
  }

  function unmountWithin(node) {
    for (const [element, controller] of controllers) {
      if (node !== element && !node.contains(element)) continue;
      controllers.delete(element);
      guard(controller.destroy)();
    }
  }

  // Removals first: a moved placement shows up as removed then added, and its
  // iframe was reloaded by the move, so it gets a fresh controller.
  const observer = new win.MutationObserver(
    guard((records) => {
      records.forEach((r) => r.removedNodes.forEach((n) => n.nodeType === 1 && unmountWithin(n)));
      records.forEach((r) => r.addedNodes.forEach((n) => n.nodeType === 1 && mountWithin(n)));
    }),
  );
  observer.observe(doc.documentElement, { childList: true, subtree: true });
  mountWithin(doc);

  function refresh() {
    mountWithin(doc);
    controllers.forEach(guard((controller) => controller.refresh()));
  }

  win.Onsite = createPublicApi(
    {
      refresh,
      consent(choice) {
        // Onsite.consent({personalization: true}); a bare boolean is accepted too.
        const granted = choice && typeof choice === 'object' ? choice.personalization : choice;
        if (typeof granted !== 'boolean') return;
        shopper.consent = granted;
        refresh();
      },
      identify(token) {
        // Onsite.identify(token) with the token the merchant's server signed; null signs out.
        if (token !== null && !isToken(token)) return;
        shopper.customer_token = token;
        refresh();
      },
      on: bus.on,
      off: bus.off,
      ...createVisitCommands({ win, doc, clientId, bffOrigin, visitId: session.getId }),
    },
    win.Onsite,
  );
}

/**
 * `data-consent` ("true"/"false") and `data-customer-token` from the placement,
 * else from the loader's script tag; the Onsite API overrides both.
 */
function readShopperAttributes(element, script) {
  const attribute = (name) => element.getAttribute(name) ?? script.getAttribute(name);
  const consent = attribute('data-consent');
  const token = attribute('data-customer-token');
  return {
    consent: consent === 'true' ? true : consent === 'false' ? false : null,
    customer_token: isToken(token) ? token : null,
  };
}

function isToken(value) {
  return typeof value === 'string' && value.length <= 2048 && CUSTOMER_TOKEN.test(value);
}

function definedOnly(object) {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== null));
}

function isRunning(existing) {
  return Boolean(existing) && !Array.isArray(existing) && typeof existing.refresh === 'function';
}
