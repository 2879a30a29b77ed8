/**
 * Progressive enhancement of the console's server-rendered pages: each page
 * works without it. Starts the enhancements whose elements the page has.
 *
 * @param {Window} win
 * @param {Document} doc
 */
export function startConsole(win, doc) {
  void win;
  void doc;
}
