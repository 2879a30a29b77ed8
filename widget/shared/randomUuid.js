/**
 * A random (version 4) UUID, from `crypto.randomUUID` where it exists and
 * from `getRandomValues` elsewhere (older browsers).
 *
 * @param {Crypto} [cryptoSource]
 * @returns {string} e.g. "3b241101-e2bb-4255-8caf-4136c566a962"
 */
export function randomUuid(cryptoSource = globalThis.crypto) {
  if (typeof cryptoSource.randomUUID === 'function') return cryptoSource.randomUUID();
  const bytes = cryptoSource.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
