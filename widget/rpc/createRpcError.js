import { errorCodes } from './errorCodes.js';

// Generic on purpose: these messages may cross origins, so they never carry
// details of what went wrong inside a handler. Local (string) codes, which
// never travel, are their own message ("TIMEOUT"), which keeps the loader small.
const defaultMessages = {
  [errorCodes.INVALID_REQUEST]: 'Invalid Request',
  [errorCodes.METHOD_NOT_FOUND]: 'Method not found',
  [errorCodes.INVALID_PARAMS]: 'Invalid params',
  [errorCodes.INTERNAL_ERROR]: 'Internal error',
};

/**
 * Builds an Error carrying one of the codes in errorCodes (or a code received
 * from the other side) as `error.code`.
 *
 * @param {number|string} code
 * @param {string} [message] defaults to the generic message for `code` (a local code: the code)
 * @returns {Error & {code: number|string}}
 */
export function createRpcError(code, message) {
  const error = new Error(message || defaultMessages[code] || String(code));
  error.code = code;
  return error;
}
