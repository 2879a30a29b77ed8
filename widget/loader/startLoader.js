import { guard } from '../shared/guard.js';
import { randomHex } from '../shared/randomHex.js';
import { safeStorage } from '../shared/safeStorage.js';
import { createPlacementController } from './createPlacementController.js';
import { createPublicApi } from './createPublicApi.js';
import { createSessionStore } from './createSessionStore.js';

const PLACEMENT = 'onsite-placement';

/**
 * Starts the loader on the merchant page: one controller per
 * `<onsite-placement>`, now and as placements are added or removed later, and
 * `window.Onsite`. Does nothing without a loader script carrying
 * data-client-id, or when another copy of the loader already runs.
 *
 * @param {Window} win
 * @param {Document} doc
 * @param {HTMLScriptElement|null} script the loader's own script element
 */
export function startLoader(win, doc, script) {
  const clientId = script && script.getAttribute('data-client-id');
  if (!clientId || isRunning(win.Onsite)) return;
  const bffOrigin = new URL(script.src, doc.baseURI).origin;
  const session = createSessionStore({ storage: safeStorage(win, 'localStorage'), createId: () => randomHex(16) });
  const options = { win, bffOrigin, clientId, getSessionId: session.getId };
  const controllers = new Map();

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
      if (controllers.size > 0) records.forEach((r) => r.removedNodes.forEach((n) => n.nodeType === 1 && unmountWithin(n)));
      records.forEach((r) => r.addedNodes.forEach((n) => n.nodeType === 1 && mountWithin(n)));
    }),
  );
  observer.observe(doc.documentElement, { childList: true, subtree: true });
  mountWithin(doc);

  const refresh = guard(() => {
    mountWithin(doc);
    controllers.forEach(guard((controller) => controller.refresh()));
  });
  win.Onsite = createPublicApi({ refresh }, win.Onsite);
}

function isRunning(existing) {
  return Boolean(existing) && !Array.isArray(existing) && typeof existing.refresh === 'function';
}
