const NONCE_PATTERN = /^[0-9a-f]{32}$/;

/**
 * Reads `#nonce=<32 hex>&origin=<encoded origin>` as written by the loader.
 * Returns null unless both are present and the nonce has the expected form;
 * whether the origin is acceptable is for the caller to decide.
 *
 * @param {string} hash location.hash, with or without the leading '#'
 * @returns {{nonce: string, origin: string}|null}
 */
export function parseHashParams(hash) {
  if (typeof hash !== 'string') return null;
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const nonce = params.get('nonce');
  const origin = params.get('origin');
  if (!nonce || !NONCE_PATTERN.test(nonce) || !origin) return null;
  return { nonce, origin };
}
