/**
 * JSON entries in a frame's own Storage (sessionStorage or localStorage), with an
 * in-memory copy that serves this frame when the storage is missing, blocked or
 * full. `read` returns null for a missing or unreadable entry; `write` never throws.
 *
 * @param {Storage|null} storage
 * @returns {{read(key: string): any, write(key: string, entry: any): void}}
 */
export function createJsonStore(storage) {
  const memory = new Map();
  return {
    read(key) {
      if (memory.has(key)) return memory.get(key);
      try {
        return JSON.parse(storage.getItem(key));
      } catch {
        return null;
      }
    },
    write(key, entry) {
      memory.set(key, entry);
      try {
        storage.setItem(key, JSON.stringify(entry));
      } catch {
        // The in-memory entry still serves this frame.
      }
    },
  };
}
