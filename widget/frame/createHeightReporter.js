import { guard } from '../shared/guard.js';

/**
 * Reports the height the frame needs, `Math.ceil` of the root's bounding box,
 * whenever the root resizes (ResizeObserver) and whenever `report()` is
 * called. Repeats of the last reported height are not sent.
 *
 * @param {{root: Element, win: Window, send: (height: number) => void}} options
 * @returns {{report(): void}}
 */
export function createHeightReporter({ root, win, send }) {
  let lastHeight = -1;
  const report = guard(() => {
    const height = Math.ceil(root.getBoundingClientRect().height);
    if (height === lastHeight) return;
    lastHeight = height;
    send(height);
  });
  if (typeof win.ResizeObserver === 'function') new win.ResizeObserver(report).observe(root);
  return { report };
}
