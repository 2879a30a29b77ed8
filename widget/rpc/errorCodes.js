/**
 * The fixed set of error codes the widget produces or understands.
 *
 * Numeric codes are JSON-RPC 2.0 codes and travel on the wire. String codes are
 * local: they describe why a call failed on this side and are never sent.
 */
export const errorCodes = Object.freeze({
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL_ERROR: -32603,
  TIMEOUT: 'TIMEOUT',
  CLOSED: 'CLOSED',
  HANDSHAKE_FAILED: 'HANDSHAKE_FAILED',
});
