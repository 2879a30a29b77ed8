import { guard } from '../shared/guard.js';

const COMMANDS = ['refresh', 'consent', 'identify', 'on', 'off', 'getVisit', 'order'];

/**
 * Builds `window.Onsite`: `refresh()`, `consent(granted)`, `identify(token)`,
 * `on(type, callback)` (returns an unsubscribe function), `off(type, callback)`
 * `getVisit(callback)` (calls back with `{visit_id}`), `order(details)` (reports
 * an order from the confirmation page)
 * and `push([name, ...args])`, which runs one of those by name. So the snippet
 * `Onsite = Onsite || []; Onsite.push([...])` works before and after the loader
 * arrives: commands queued before it arrived are replayed in order. Unknown
 * commands are ignored, and no method ever throws into the page.
 *
 * @param {{refresh(): void, consent(granted: unknown): void, identify(token: unknown): void, on(type: unknown, callback: unknown): () => void, off(type: unknown, callback: unknown): void, getVisit(callback: unknown): void, order(details: unknown): void}} actions
 * @param {unknown} queued the previous value of window.Onsite
 */
export function createPublicApi(actions, queued) {
  const api = { version: 1 };
  for (const name of COMMANDS) api[name] = guard((...args) => actions[name](...args));
  api.push = guard((command) => {
    if (Array.isArray(command) && COMMANDS.includes(command[0])) api[command[0]](...command.slice(1));
  });
  if (Array.isArray(queued)) queued.forEach(api.push);
  return api;
}
