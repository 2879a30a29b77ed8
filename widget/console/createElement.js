/**
 * A new element with attributes and children (strings become text nodes, so
 * nothing is ever parsed as HTML).
 *
 * @param {Document} doc
 * @param {string} tag
 * @param {Record<string, string>} [attributes]
 * @param {(Node|string)[]} [children]
 * @returns {HTMLElement}
 */
export function createElement(doc, tag, attributes = {}, children = []) {
  const element = doc.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  for (const child of children) element.appendChild(typeof child === 'string' ? doc.createTextNode(child) : child);
  return element;
}
