/**
 * Hex string of `byteCount` cryptographically random bytes (16 bytes gives the
 * 128-bit ids used for nonces and sessions).
 *
 * @param {number} [byteCount]
 * @param {{getRandomValues(array: Uint8Array): Uint8Array}} [cryptoSource]
 * @returns {string} lowercase hex, 2 characters per byte
 */
export function randomHex(byteCount = 16, cryptoSource = globalThis.crypto) {
  const bytes = cryptoSource.getRandomValues(new Uint8Array(byteCount));
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}
