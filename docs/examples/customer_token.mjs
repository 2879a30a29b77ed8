// Sign a customer token on your server (Node.js 16+, no dependencies).
// Command line: ONSITE_IDENTITY_SECRET=osi_... node customer_token.mjs CLIENT_ID CUSTOMER_REF
import { createHmac } from 'node:crypto';
import { pathToFileURL } from 'node:url';

const base64url = (text) => Buffer.from(text).toString('base64url');

export function customerToken({ secret, clientId, customerRef, ttlSeconds = 3600 }) {
  const now = Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const claims = base64url(JSON.stringify({ sub: customerRef, aud: clientId, iat: now, exp: now + ttlSeconds }));
  const signature = createHmac('sha256', secret).update(`${header}.${claims}`).digest('base64url');
  return `${header}.${claims}.${signature}`;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [clientId, customerRef] = process.argv.slice(2);
  console.log(customerToken({ secret: process.env.ONSITE_IDENTITY_SECRET, clientId, customerRef }));
}
