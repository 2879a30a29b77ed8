/**
 * Reads what the server wrote into the frame shell (templates/frame.html) as
 * data attributes of `<body>`: data-allowed-origins (a JSON array of origin
 * strings), data-rpc-url and data-client-id. Returns null when the shell is
 * incomplete, so the frame renders nothing.
 *
 * @param {Document} doc
 * @returns {{allowedOrigins: string[], rpcUrl: string, clientId: string}|null}
 */
export function readShellConfig(doc) {
  const data = doc.body ? doc.body.dataset : {};
  let allowedOrigins;
  try {
    allowedOrigins = JSON.parse(data.allowedOrigins);
  } catch {
    return null;
  }
  if (!Array.isArray(allowedOrigins) || !data.rpcUrl || !data.clientId) return null;
  return {
    allowedOrigins: allowedOrigins.filter((origin) => typeof origin === 'string'),
    rpcUrl: data.rpcUrl,
    clientId: data.clientId,
  };
}
