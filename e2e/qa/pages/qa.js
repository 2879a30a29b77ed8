/*
 * The QA page's recorder, loaded before the widget's loader. It works the same in every
 * engine (WebKit's WebDriver has no console or page-error events), and records:
 * - window.__qa.errors: uncaught errors, unhandled rejections and console.error calls
 *   that reach this (the merchant's) page;
 * - window.__qa.events: what Onsite.on() delivers, through the documented command queue;
 * - window.__qa.ticks: a 50 ms heartbeat, so a test can tell the page kept running;
 * - window.__qa.clicks: clicks on the page's own button (the page still works).
 */
(function () {
  var qa = (window.__qa = { errors: [], events: [], ticks: 0, clicks: 0 });
  window.addEventListener('error', function (event) {
    qa.errors.push('error: ' + (event.message || String(event.error)));
  });
  window.addEventListener('unhandledrejection', function (event) {
    qa.errors.push('unhandledrejection: ' + String(event.reason));
  });
  var consoleError = console.error;
  console.error = function () {
    qa.errors.push('console.error: ' + Array.prototype.join.call(arguments, ' '));
    return consoleError.apply(console, arguments);
  };
  setInterval(function () {
    qa.ticks += 1;
  }, 50);
  window.Onsite = window.Onsite || [];
  ['impression', 'click', 'open', 'close'].forEach(function (type) {
    window.Onsite.push(['on', type, function (detail) {
      qa.events.push({ type: type, placement_key: detail.placement_key, purchase_amount: detail.purchase_amount });
    }]);
  });
  document.addEventListener('DOMContentLoaded', function () {
    var button = document.getElementById('host-button');
    var status = document.getElementById('host-status');
    if (!button) return;
    button.addEventListener('click', function () {
      qa.clicks += 1;
      status.textContent = 'Added (' + qa.clicks + ')';
    });
  });
})();
