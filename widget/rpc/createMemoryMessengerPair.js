/**
 * Two connected in-memory Messengers: what one posts, the other's handlers
 * receive. Delivery is asynchronous and goes through structuredClone, like
 * postMessage, so tests see the same ordering and copying semantics.
 *
 * @returns {[import('./createWindowMessenger.js').Messenger, import('./createWindowMessenger.js').Messenger]}
 */
export function createMemoryMessengerPair() {
  const sides = [new Set(), new Set()];

  function messenger(own, peer) {
    return {
      post(rpc) {
        const copy = structuredClone(rpc);
        setTimeout(() => {
          for (const handler of [...peer]) handler(copy);
        }, 0);
      },
      onMessage(handler) {
        own.add(handler);
        return () => own.delete(handler);
      },
      close() {
        own.clear();
      },
    };
  }

  return [messenger(sides[0], sides[1]), messenger(sides[1], sides[0])];
}
