/**
 * The `<script>` element that loaded the loader: document.currentScript while
 * the loader's top level runs, else the first script that looks like ours.
 *
 * @param {Document} doc
 * @returns {HTMLScriptElement|null}
 */
export function findLoaderScript(doc) {
  const current = doc.currentScript;
  if (current && current.hasAttribute('data-client-id')) return current;
  return doc.querySelector('script[src*="onsite.js"][data-client-id]');
}
