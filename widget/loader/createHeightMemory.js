/**
 * Remembers, per placement key, the last height its frame took, in the
 * merchant origin's sessionStorage (`onsite.height.<key>`), so the next page
 * of the visit can reserve that space before the frame has rendered. Storage
 * that is missing or blocked only means nothing is remembered.
 *
 * @param {Storage|null} storage
 * @returns {{get(key: string): number|null, set(key: string, height: number): void}}
 */
export function createHeightMemory(storage) {
  return {
    get(key) {
      try {
        const text = storage.getItem('onsite.height.' + key);
        return /^\d{1,3}$/.test(text) && Number(text) <= 600 ? Number(text) : null;
      } catch {
        return null;
      }
    },
    set(key, height) {
      try {
        storage.setItem('onsite.height.' + key, String(height));
      } catch {
        // Nothing remembered: the next page just reserves no space up front.
      }
    },
  };
}
