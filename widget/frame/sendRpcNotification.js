/**
 * Sends a JSON-RPC 2.0 notification (no id, so no answer is expected) with
 * HTTP POST, `keepalive` so it survives the page going away. Never rejects:
 * analytics must not disturb what the shopper sees.
 *
 * @param {{fetchFn: typeof fetch, url: string, method: string, params: object}} options
 * @returns {Promise<void>}
 */
export async function sendRpcNotification({ fetchFn, url, method, params }) {
  try {
    await fetchFn(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', method, params }),
      credentials: 'same-origin',
      keepalive: true,
    });
  } catch {
    // Lost events are acceptable; errors reaching the shopper are not.
  }
}
