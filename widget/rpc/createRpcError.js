import { errorCodes } from './errorCodes.js';

// Generic on purpose: these messages may cross origins, so they never carry
// details of what went wrong inside a handler.
const defaultMessages = {
  [errorCodes.INVALID_REQUEST]: 'Invalid Request',
  [errorCodes.METHOD_NOT_FOUND]: 'Method not found',
  [errorCodes.INVALID_PARAMS]: 'Invalid params',
  [errorCodes.INTERNAL_ERROR]: 'Internal error',
  [errorCodes.TIMEOUT]: 'Call timed out',
  [errorCodes.CLOSED]: 'Endpoint closed',
  [errorCodes.HANDSHAKE_FAILED]: 'Handshake failed',
};

/**
 * Builds an Error carrying one of the codes in errorCodes (or a code received
 * from the other side) as `error.code`.
 *
 * @param {number|string} code
 * @param {string} [message] defaults to the generic message for `code`
 * @returns {Error & {code: number|string}}
 */
export function createRpcError(code, message) {
  const error = new Error(message || defaultMessages[code] || 'Error');
  error.code = code;
  return error;
}
