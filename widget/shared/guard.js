import { debugLog } from './debugLog.js';

/**
 * Wraps an entry point (script start, event, observer or timer callback) so
 * that nothing it throws, synchronously or as a rejected promise, ever reaches
 * the host page. Failures are only visible through debugLog.
 *
 * @template {(...args: any[]) => any} F
 * @param {F} fn
 * @returns {(...args: Parameters<F>) => ReturnType<F> | undefined}
 */
export function guard(fn) {
  return function guarded(...args) {
    try {
      const value = fn.apply(this, args);
      if (value && typeof value.then === 'function') value.then(undefined, debugLog);
      return value;
    } catch (error) {
      debugLog(error);
      return undefined;
    }
  };
}
