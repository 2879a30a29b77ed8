/**
 * Creates the iframe for one placement, collapsed (height 0) until its frame
 * reports a height. Styles are set through CSSOM, which merchant CSPs allow,
 * and make the frame a borderless block so it adds no inline gap below itself.
 *
 * @param {Document} doc
 * @param {string} src
 * @returns {HTMLIFrameElement}
 */
export function createFrameElement(doc, src) {
  const iframe = doc.createElement('iframe');
  iframe.setAttribute('title', 'Pay later options');
  iframe.setAttribute('width', '100%');
  iframe.setAttribute('height', '0');
  iframe.setAttribute('scrolling', 'no');
  iframe.setAttribute('loading', 'eager');
  iframe.setAttribute('sandbox', 'allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox');
  iframe.setAttribute('data-onsite-frame', '');
  iframe.setAttribute('data-onsite-state', 'loading');
  const style = iframe.style;
  style.display = 'block';
  style.width = '100%';
  style.height = '0';
  style.border = '0';
  style.overflow = 'hidden';
  // Matching the frame's own color-scheme keeps its background transparent on
  // pages that declare a dark color-scheme.
  style.colorScheme = 'normal';
  iframe.src = src;
  return iframe;
}
