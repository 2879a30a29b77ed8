/**
 * Reads what the server wrote into the frame shell (templates/frame.html or
 * templates/interstitial.html) as data attributes of `<body>`:
 * data-allowed-origins (a JSON array of origin strings), data-rpc-url (renders),
 * data-collect-url (events and consent; a shell without it sends them to
 * data-rpc-url, which serves them too), data-client-id and data-view
 * ("placement", the default, or "interstitial"). Returns null when the shell
 * is incomplete, so the frame renders nothing.
 *
 * @param {Document} doc
 * @returns {{allowedOrigins: string[], rpcUrl: string, collectUrl: string, clientId: string, view: 'placement'|'interstitial'}|null}
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
    collectUrl: data.collectUrl || data.rpcUrl,
    clientId: data.clientId,
    view: data.view === 'interstitial' ? 'interstitial' : 'placement',
  };
}
