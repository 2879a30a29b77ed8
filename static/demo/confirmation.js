// The order confirmation page's own code: report the order from the browser with
// Onsite.push(['order', {...}]) (the loader marks it client-reported). The shop's server
// reported it already; the order id makes the two reports one order (docs/attribution.md).
(function () {
  "use strict";

  var order = document.getElementById("order");
  if (!order) return;
  window.Onsite = window.Onsite || [];
  window.Onsite.push(["order", {
    order_id: order.getAttribute("data-order-id"),
    amount: Number(order.getAttribute("data-amount")),
    currency: order.getAttribute("data-currency"),
    payment_method: order.getAttribute("data-payment-method"),
  }]);
})();
