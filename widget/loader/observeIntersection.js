import { guard } from '../shared/guard.js';

/**
 * Calls `onChange(entry)` for each IntersectionObserver entry of `element`.
 * Without IntersectionObserver (old browsers) it reports, once, an entry that
 * is fully intersecting, so nothing waits forever. Returns a disconnect function.
 *
 * @param {object} options
 * @param {Element} options.element
 * @param {Window} options.win
 * @param {string} [options.rootMargin]
 * @param {number[]} [options.threshold]
 * @param {(entry: {isIntersecting: boolean, intersectionRatio: number}) => void} options.onChange
 * @returns {() => void}
 */
export function observeIntersection({ element, win, rootMargin = '0px', threshold = [0], onChange }) {
  const report = guard(onChange);
  if (typeof win.IntersectionObserver !== 'function') {
    report({ isIntersecting: true, intersectionRatio: 1 });
    return () => {};
  }
  const observer = new win.IntersectionObserver((entries) => entries.forEach(report), { rootMargin, threshold });
  observer.observe(element);
  return () => observer.disconnect();
}
