const SANDBOX = 'allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox';

/**
 * Creates one of our iframes. Styles go through CSSOM, which merchant CSPs
 * allow; `colorScheme: normal` matches the frame's own, which keeps its
 * background transparent on pages that declare a dark color-scheme.
 *
 * - A placement frame (default): a borderless block, 100% wide, collapsed
 *   (height 0) until its frame reports a height, with `data-onsite-frame`.
 * - The interstitial (`overlay: true`): fixed over the whole viewport, on
 *   top, with `data-onsite-interstitial`, and invisible (so clicks pass
 *   through it) until its frame has said hello; the frame then draws the
 *   backdrop and the dialog itself.
 *
 * @param {Document} doc
 * @param {string} src
 * @param {{overlay?: boolean}} [options]
 * @returns {HTMLIFrameElement}
 */
export function createFrameElement(doc, src, { overlay = false } = {}) {
  const iframe = doc.createElement('iframe');
  iframe.setAttribute('title', overlay ? 'Payment options' : 'Pay later options');
  iframe.setAttribute('sandbox', SANDBOX);
  iframe.setAttribute(overlay ? 'data-onsite-interstitial' : 'data-onsite-frame', '');
  const common = { border: '0', margin: '0', padding: '0', colorScheme: 'normal' };
  if (overlay) {
    Object.assign(iframe.style, common, {
      position: 'fixed',
      top: '0',
      left: '0',
      width: '100%',
      height: '100%',
      maxWidth: 'none',
      maxHeight: 'none',
      zIndex: '2147483647',
      visibility: 'hidden',
    });
  } else {
    iframe.setAttribute('width', '100%');
    iframe.setAttribute('height', '0');
    iframe.setAttribute('scrolling', 'no');
    iframe.setAttribute('data-onsite-state', 'loading');
    Object.assign(iframe.style, common, { display: 'block', width: '100%', height: '0', overflow: 'hidden' });
  }
  iframe.src = src;
  return iframe;
}
