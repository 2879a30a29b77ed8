import { guard } from '../shared/guard.js';
import { findLoaderScript } from '../loader/findLoaderScript.js';
import { startDebugOverlay } from './startDebugOverlay.js';

// Entry of onsite-debug.js, added by the loader when the page URL has onsite-debug=1.
guard(() => {
  const loader = findLoaderScript(document);
  if (!loader || !document.currentScript) return;
  startDebugOverlay(window, document, {
    clientId: loader.getAttribute('data-client-id'),
    bffOrigin: new URL(document.currentScript.src).origin,
  });
})();
