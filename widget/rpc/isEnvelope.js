/**
 * Tells whether `data` is a well-formed widget envelope for the channel
 * identified by `nonce`: `{onsite: 1, nonce, rpc: object}`.
 *
 * Never throws: message data comes from other windows and may be anything.
 *
 * @param {unknown} data
 * @param {string} nonce
 * @returns {boolean}
 */
export function isEnvelope(data, nonce) {
  try {
    return (
      typeof data === 'object' &&
      data !== null &&
      data.onsite === 1 &&
      typeof data.nonce === 'string' &&
      data.nonce === nonce &&
      typeof data.rpc === 'object' &&
      data.rpc !== null
    );
  } catch {
    return false;
  }
}
