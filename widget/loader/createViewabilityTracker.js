/**
 * Decides when a placement counts as viewed: at least half of it in the
 * viewport (`setRatio`), with content shown (`setShowing`) on a visible page
 * (`setPageVisible`), continuously for `delayMs`. Then `onViewable` runs, once;
 * `reset()` (a new frame) arms it again. Timers are injectable for tests.
 *
 * @param {object} options
 * @param {() => void} options.onViewable
 * @param {number} [options.delayMs]
 * @param {(fn: () => void, ms: number) => any} [options.setTimer]
 * @param {(timer: any) => void} [options.clearTimer]
 */
export function createViewabilityTracker({ onViewable, delayMs = 1000, setTimer = setTimeout, clearTimer = clearTimeout }) {
  const state = { ratio: 0, showing: false, pageVisible: true };
  let timer = null;
  let done = false;

  function update() {
    const viewable = !done && state.ratio >= 0.5 && state.showing && state.pageVisible;
    if (viewable && timer === null) {
      timer = setTimer(() => {
        timer = null;
        done = true;
        onViewable();
      }, delayMs);
    } else if (!viewable && timer !== null) {
      clearTimer(timer);
      timer = null;
    }
  }

  const setter = (name) => (value) => {
    state[name] = value;
    update();
  };
  return {
    setRatio: setter('ratio'),
    setShowing: setter('showing'),
    setPageVisible: setter('pageVisible'),
    reset() {
      done = false;
      state.showing = false;
      update();
    },
  };
}
