import { guard } from '../shared/guard.js';
import { buildOverlayLabel } from './buildOverlayLabel.js';

const COLORS = { rendered: '#1a7f37', empty: '#9a6700', failed: '#cf222e' };
const WATCHED = ['data-onsite-state', 'data-onsite-reason', 'style', 'height'];

/**
 * The debug overlay (`?onsite-debug=1`): an outline and a label over each
 * `<onsite-placement>` saying what it shows and why (see buildOverlayLabel).
 * One absolutely positioned layer at the end of `<body>`, aria-hidden, inert
 * and transparent to the pointer, so the page's layout and behaviour do not
 * change. Redrawn when the loader changes a placement, and on resize.
 *
 * @param {Window} win
 * @param {Document} doc
 * @param {{clientId: string, bffOrigin: string}} facts
 */
export function startDebugOverlay(win, doc, { clientId, bffOrigin }) {
  const facts = { clientId, bffOrigin, pageOrigin: win.location.origin };
  const layer = doc.createElement('div');
  layer.setAttribute('data-onsite-debug', '');
  layer.setAttribute('aria-hidden', 'true');
  layer.inert = true;
  Object.assign(layer.style, { position: 'absolute', top: '0', left: '0', width: '0', height: '0', pointerEvents: 'none', zIndex: '2147483646' });
  doc.body.appendChild(layer);

  function draw() {
    layer.textContent = '';
    for (const element of doc.querySelectorAll('onsite-placement')) {
      const rect = element.getBoundingClientRect();
      const state = element.getAttribute('data-onsite-state');
      const color = COLORS[state] || '#57606a';
      const box = doc.createElement('div');
      box.setAttribute('data-onsite-debug-label', '');
      box.textContent = buildOverlayLabel(
        {
          state,
          reason: element.getAttribute('data-onsite-reason'),
          key: element.getAttribute('data-key'),
          locale: element.getAttribute('data-locale') || doc.documentElement.lang || null,
          amount: element.getAttribute('data-purchase-amount'),
        },
        facts,
      );
      Object.assign(box.style, {
        position: 'absolute',
        boxSizing: 'border-box',
        left: rect.left + win.scrollX + 'px',
        top: rect.top + win.scrollY + 'px',
        width: Math.max(rect.width, 160) + 'px',
        minHeight: Math.max(rect.height, 20) + 'px',
        outline: '2px dashed ' + color,
        color,
        background: 'rgba(255,255,255,.85)',
        font: '12px/1.4 monospace',
        padding: '2px 4px',
        overflowWrap: 'anywhere',
      });
      layer.appendChild(box);
    }
  }

  const redraw = guard(draw);
  // Only attributes are watched: the layer's own redraws are child-list changes.
  new win.MutationObserver(redraw).observe(doc.body, { attributes: true, attributeFilter: WATCHED, subtree: true });
  win.addEventListener('resize', redraw);
  win.addEventListener('load', redraw);
  redraw();
}
