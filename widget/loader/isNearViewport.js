/** How close to the viewport (px, above and below) a placement must be for its frame to be created. */
const MARGIN = 400;

/**
 * Tells, from the element's box, whether it is rendered and within MARGIN
 * pixels of the viewport. The loader checks this synchronously at start, so
 * frames above the fold are created at once (and delay the page's load event
 * like any iframe); later changes come from an IntersectionObserver with the
 * same margin (see NEAR_VIEWPORT in createPlacementController).
 *
 * @param {Element} element
 * @param {Window} win
 * @returns {boolean}
 */
export function isNearViewport(element, win) {
  const box = element.getBoundingClientRect();
  const rendered = box.width > 0 || box.height > 0;
  return rendered && box.top < win.innerHeight + MARGIN && box.bottom > -MARGIN;
}
