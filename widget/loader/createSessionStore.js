const ID_PATTERN = /^[0-9a-f]{32}$/;

/**
 * Shopper session id for the merchant origin, with a sliding expiry.
 *
 * The record `{id, expires}` lives as JSON under `key` in `storage`; every
 * `getId()` is a use and pushes `expires` to `now() + ttlMs`. After `ttlMs`
 * without a use a new id is issued. When storage is missing or throws, the
 * same rules apply to an in-memory record, so a page without storage still
 * has one stable id.
 *
 * @param {object} options
 * @param {Storage|null} options.storage
 * @param {() => string} options.createId returns 32 lowercase hex characters
 * @param {() => number} [options.now] injectable clock (ms)
 * @param {number} [options.ttlMs] idle time after which the session ends (30 min)
 * @param {string} [options.key]
 * @returns {{getId(): string}}
 */
export function createSessionStore({ storage, createId, now = Date.now, ttlMs = 30 * 60 * 1000, key = 'onsite.session' }) {
  let memory = null;

  function read() {
    try {
      const record = JSON.parse(storage.getItem(key));
      if (record && ID_PATTERN.test(record.id) && Number.isFinite(record.expires)) return record;
    } catch {
      // Unreadable or blocked storage: fall back to memory.
    }
    return memory;
  }

  function write(record) {
    memory = record;
    try {
      storage.setItem(key, JSON.stringify(record));
    } catch {
      // Quota or privacy mode: the in-memory record keeps the session alive.
    }
  }

  return {
    getId() {
      const time = now();
      const current = read();
      const id = current && time < current.expires ? current.id : createId();
      write({ id, expires: time + ttlMs });
      return id;
    },
  };
}
