import { createJsonStore } from './createJsonStore.js';

const TOKEN_SHAPE = /^v1\.[0-9]{1,10}\.[A-Za-z0-9_-]{1,900}\.[A-Za-z0-9_-]{43}$/;
const MAX_TOKEN_CHARS = 1024;
const KEY_PREFIX = 'onsite.visit.';

/**
 * Keeps the visit token of the latest render (`visit_token` of a
 * `placements.render` result, see bff/visit_token.py) so the next render of the
 * same visit sends it back and the server can skip reading the visit's state.
 *
 * One entry per client, `onsite.visit.<client_id>` = `{session_id, token}`, in
 * the frame origin's storage (localStorage: shared by the visit's tabs) and in
 * memory, which alone serves when storage is missing, full or denied. `get`
 * returns a token only for the session it was issued to and of the token's
 * shape (at most 1,024 characters); anything else reads as none. The token is
 * opaque here: the server verifies it and ignores one that does not verify.
 *
 * @param {Storage|null} storage
 * @returns {{get(clientId: string, sessionId: string): string|null, set(clientId: string, sessionId: string, token: unknown): void}}
 */
export function createVisitTokenStore(storage) {
  const store = createJsonStore(storage);


  return {
    get(clientId, sessionId) {
      const entry = store.read(KEY_PREFIX + clientId);
      if (!entry || entry.session_id !== sessionId || !isVisitToken(entry.token)) return null;
      return entry.token;
    },
    set(clientId, sessionId, token) {
      if (!isVisitToken(token)) return;
      const key = KEY_PREFIX + clientId;
      const entry = { session_id: sessionId, token };
      store.write(key, entry);
    },
  };
}

function isVisitToken(token) {
  return typeof token === 'string' && token.length <= MAX_TOKEN_CHARS && TOKEN_SHAPE.test(token);
}
