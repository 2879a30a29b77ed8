import { createElement } from './createElement.js';
import { listOptionIds } from './listOptionIds.js';

/**
 * Keeps each variant's "Lead option" select in step with the payment option
 * rows as the merchant types, so an option added a moment ago can be the lead
 * before the campaign is saved. The blank first choice stays; a chosen id stays
 * chosen, and stays listed even when no row has it any more (the server names
 * the problem on save rather than the page changing the choice silently).
 * The lists are also brought in step once at start: the browser may have restored the
 * rows (back, forward, reload) or the merchant typed before this script ran, with no
 * input event left to hear.
 *
 * @param {{doc: Document, form: HTMLFormElement}} options
 */
export function startLeadOptions({ doc, form }) {
  const refresh = () => {
    const ids = listOptionIds(new FormData(form).entries());
    for (const select of form.querySelectorAll('select[name^="variants-"][name$="-lead"]')) {
      const chosen = select.value;
      const blank = select.options.length && select.options[0].value === '' ? select.options[0].textContent : 'first eligible';
      const listed = chosen && !ids.includes(chosen) ? [...ids, chosen] : ids;
      select.replaceChildren(createElement(doc, 'option', { value: '' }, [blank]), ...listed.map((id) => createElement(doc, 'option', { value: id }, [id])));
      select.value = chosen;
    }
  };
  const onRowEdit = (event) => {
    if (/^options-/.test(event.target && event.target.name)) refresh();
  };
  form.addEventListener('input', onRowEdit);
  form.addEventListener('change', onRowEdit);
  refresh();
}
