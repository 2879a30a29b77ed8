/**
 * `HH:MM` (or `YYYY-MM-DD HH:MM` with `withDate`) of a ms timestamp, in UTC, the time
 * zone of the rollups.
 *
 * @param {number} ms
 * @param {boolean} [withDate]
 * @returns {string}
 */
export function formatUtcTime(ms, withDate = false) {
  const iso = new Date(ms).toISOString();
  return withDate ? iso.slice(0, 10) + ' ' + iso.slice(11, 16) : iso.slice(11, 16);
}
