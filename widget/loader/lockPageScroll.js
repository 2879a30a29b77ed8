/**
 * Stops the page from scrolling (overflow hidden on <html>) until the returned
 * function is called, which restores the previous inline values. When the
 * page has a classic scrollbar its gutter stays reserved, so nothing shifts.
 *
 * @param {Document} doc
 * @param {Window} win
 * @returns {() => void} unlock
 */
export function lockPageScroll(doc, win) {
  const style = doc.documentElement.style;
  const previous = [style.overflow, style.scrollbarGutter];
  const hasScrollbar = win.innerWidth > doc.documentElement.clientWidth;
  style.overflow = 'hidden';
  if (hasScrollbar) style.scrollbarGutter = 'stable';
  return () => {
    [style.overflow, style.scrollbarGutter] = previous;
  };
}
