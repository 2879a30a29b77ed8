/**
 * Posts the editor form's fields, form-encoded exactly as the form would
 * submit them, as a preview draft. The CSRF token goes in the X-CSRF-Token
 * header. Resolves with `{draftId, problems: [{field, message}]}` (draftId
 * null when the form has problems); rejects on a network or HTTP failure.
 *
 * @param {{fetchFn: typeof fetch, url: string, form: HTMLFormElement, FormDataClass?: typeof FormData}} options
 * @returns {Promise<{draftId: string|null, problems: {field: string, message: string}[]}>}
 */
export async function postDraft({ fetchFn, url, form, FormDataClass = FormData }) {
  const fields = new URLSearchParams();
  for (const [name, value] of new FormDataClass(form)) {
    if (typeof value === 'string') fields.append(name, value);
  }
  const response = await fetchFn(url, {
    method: 'POST',
    headers: { 'X-CSRF-Token': fields.get('csrf_token') || '' },
    body: fields,
    credentials: 'same-origin',
  });
  if (!response.ok) throw new Error('HTTP ' + response.status);
  const body = await response.json();
  const problems = Array.isArray(body && body.problems) ? body.problems.filter(isProblem) : [];
  const draftId = body && typeof body.draft_id === 'string' ? body.draft_id : null;
  return { draftId, problems };
}

function isProblem(problem) {
  return problem && typeof problem.field === 'string' && typeof problem.message === 'string';
}
