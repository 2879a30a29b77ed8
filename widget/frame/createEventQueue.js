/**
 * Batches tracked events: `push` queues one and sends the batch `delayMs`
 * after the first queued event, or at once when `maxBatch` are waiting;
 * `flush` sends what is queued now (the frame calls it when the page hides).
 * Timers are injectable for tests.
 *
 * @param {object} options
 * @param {(events: object[]) => void} options.send
 * @param {number} [options.delayMs]
 * @param {number} [options.maxBatch]
 * @param {(fn: () => void, ms: number) => any} [options.setTimer]
 * @param {(timer: any) => void} [options.clearTimer]
 * @returns {{push(event: object): void, flush(): void}}
 */
export function createEventQueue({ send, delayMs = 1000, maxBatch = 20, setTimer = setTimeout, clearTimer = clearTimeout }) {
  let queue = [];
  let timer = null;

  function flush() {
    if (timer !== null) clearTimer(timer);
    timer = null;
    if (queue.length === 0) return;
    const batch = queue;
    queue = [];
    send(batch);
  }

  return {
    push(event) {
      queue.push(event);
      if (queue.length >= maxBatch) flush();
      else if (timer === null) timer = setTimer(flush, delayMs);
    },
    flush,
  };
}
