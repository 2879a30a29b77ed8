/**
 * GETs (or POSTs, with `body`) a same-origin JSON endpoint of the dashboard API and
 * resolves with the decoded body. A 401 sends the browser to the login page; any other
 * non-2xx status rejects with an Error carrying `status`.
 *
 * @param {typeof fetch} fetchFn
 * @param {string} url
 * @param {{method?: string, csrfToken?: string}} [options]
 * @returns {Promise<any>}
 */
export async function fetchJson(fetchFn, url, { method = 'GET', csrfToken } = {}) {
  const headers = { Accept: 'application/json' };
  if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const response = await fetchFn(url, { method, headers, credentials: 'same-origin' });
  if (response.status === 401) {
    window.location.assign('/monitoring/login');
    throw Object.assign(new Error('login required'), { status: 401 });
  }
  if (!response.ok) throw Object.assign(new Error('HTTP ' + response.status), { status: response.status });
  return response.json();
}
