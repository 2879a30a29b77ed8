const UNREACHABLE = 'bff_unreachable';
const CAUSE = /^(unknown_client|origin_not_allowed)$/;

/**
 * Asks the BFF why this page's frames would not load, with a script element
 * (`GET /frame/check.js`): merchant CSPs already allow our origin in
 * script-src, and need not allow it in connect-src. The script marks itself
 * with `data-onsite-cause` ("ok" or the cause) and the element is removed.
 * Resolves with `unknown_client`, `origin_not_allowed`, `bff_unreachable`
 * (load error, HTTP error, unexpected answer, or no answer within
 * `timeoutMs`), or null when the client id and page origin are fine. Never rejects.
 *
 * @param {{doc: Document, setTimer: typeof setTimeout, bffOrigin: string, clientId: string, origin: string, timeoutMs?: number}} options
 * @returns {Promise<string|null>}
 */
export function checkFrameAccess({ doc, setTimer, bffOrigin, clientId, origin, timeoutMs = 5000 }) {
  return new Promise((resolve) => {
    const script = doc.createElement('script');
    const done = (cause) => {
      script.remove();
      resolve(cause === 'ok' ? null : CAUSE.test(cause) ? cause : UNREACHABLE);
    };
    setTimer(() => done(), timeoutMs);
    script.onload = () => done(script.getAttribute('data-onsite-cause'));
    script.onerror = () => done();
    script.src = bffOrigin + '/frame/check.js?client_id=' + encodeURIComponent(clientId) + '&origin=' + encodeURIComponent(origin);
    doc.head.appendChild(script);
  });
}
