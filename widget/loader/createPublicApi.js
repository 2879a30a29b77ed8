/**
 * Builds `window.Onsite`. `push([name, ...args])` runs a command, so the
 * snippet `Onsite = Onsite || []; Onsite.push(['refresh'])` works before and
 * after the loader arrives; commands queued before it arrived are replayed.
 * Unknown commands are ignored.
 *
 * @param {{refresh(): void}} actions
 * @param {unknown} queued the previous value of window.Onsite
 * @returns {{version: number, refresh(): void, push(command: unknown[]): void}}
 */
export function createPublicApi(actions, queued) {
  const api = {
    version: 1,
    refresh() {
      actions.refresh();
    },
    push(command) {
      if (Array.isArray(command) && command[0] === 'refresh') api.refresh();
    },
  };
  if (Array.isArray(queued)) queued.forEach((command) => api.push(command));
  return api;
}
