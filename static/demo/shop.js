// The demo shop's own code: a variant and market selector. It knows nothing about the
// widget beyond the documented contract: it rewrites the data-* attributes of
// <onsite-placement> elements, and the loader takes it from there.
(function () {
  "use strict";

  var market = document.getElementById("market");
  var price = document.getElementById("price");
  var cartStatus = document.getElementById("cart-status");

  function selectedVariant() {
    return document.querySelector('input[name="variant"]:checked');
  }

  function update() {
    var option = market.options[market.selectedIndex];
    var locale = option.value;
    var currency = option.getAttribute("data-currency");
    var minor = Number(selectedVariant().getAttribute("data-price-" + currency.toLowerCase()));
    price.textContent = new Intl.NumberFormat(locale, { style: "currency", currency: currency }).format(minor / 100);
    document.documentElement.lang = locale;
    document.querySelectorAll("onsite-placement").forEach(function (placement) {
      placement.setAttribute("data-locale", locale);
      placement.setAttribute("data-currency", currency);
      placement.setAttribute("data-purchase-amount", String(minor));
    });
  }

  market.addEventListener("change", update);
  document.querySelectorAll('input[name="variant"]').forEach(function (input) {
    input.addEventListener("change", update);
  });
  document.getElementById("add-to-cart").addEventListener("click", function () {
    cartStatus.textContent = "Added to your basket.";
  });
  document.getElementById("theme").addEventListener("change", function (event) {
    document.querySelectorAll("onsite-placement").forEach(function (placement) {
      if (event.target.value) placement.setAttribute("data-theme", event.target.value);
      else placement.removeAttribute("data-theme");
    });
  });
  update();

  // Analytics hooks, through the documented command queue: this runs whether or not the
  // (async) loader has arrived yet.
  var log = document.getElementById("event-log");
  window.Onsite = window.Onsite || [];
  ["impression", "click", "open", "close"].forEach(function (type) {
    window.Onsite.push(["on", type, function (event) {
      var item = document.createElement("li");
      item.textContent = event.type + " · " + event.placement_key + " · " + event.purchase_amount + " " + (event.currency || "");
      log.insertBefore(item, log.firstChild);
      while (log.children.length > 8) log.removeChild(log.lastChild);
    }]);
  });
})();
