/** Largest envelope, in JSON characters, that either side accepts (16 KiB). */
const MAX_MESSAGE_CHARS = 16384;

/**
 * Tells whether `data`, serialised as JSON, is at most `maxChars` characters.
 * Data that JSON cannot represent (cycles, BigInt) does not fit. Never throws:
 * message data comes from other windows and may be anything.
 *
 * @param {unknown} data
 * @param {number} [maxChars]
 * @returns {boolean}
 */
export function fitsSizeLimit(data, maxChars = MAX_MESSAGE_CHARS) {
  try {
    const json = JSON.stringify(data);
    return typeof json === 'string' && json.length <= maxChars;
  } catch {
    return false;
  }
}
