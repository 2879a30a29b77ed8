import { guard } from '../shared/guard.js';
import { randomUuid } from '../shared/randomUuid.js';
import { buildTrackedEvent } from './buildTrackedEvent.js';
import { createEventQueue } from './createEventQueue.js';
import { sendRpcNotification } from './sendRpcNotification.js';

/**
 * Tracks the frame's analytics events: each `track` call queues one event
 * (see buildTrackedEvent) and batches go to `url` (the shell's collect URL) as `events.track`
 * notifications `{events: [...]}`. What is queued is sent at once when the
 * frame's page hides (the shopper leaves or switches tab). Never throws.
 *
 * @param {{win: Window, url: string}} options
 * @returns {(type: string, context: object, shown?: object|null) => void} shown: the render result shown
 */
export function createTracker({ win, url }) {
  const queue = createEventQueue({
    send: (events) => sendRpcNotification({ fetchFn: win.fetch.bind(win), url, method: 'events.track', params: { events } }),
  });
  const flush = guard(queue.flush);
  win.addEventListener('pagehide', flush);
  win.document.addEventListener('visibilitychange', () => win.document.hidden && flush());
  return guard((type, context, shown) => {
    queue.push(buildTrackedEvent({ type, context, shown, id: randomUuid(), ts: Date.now() }));
  });
}
