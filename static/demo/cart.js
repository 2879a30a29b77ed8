// The basket page's own code: put the visit id into the checkout form, so that the shop's
// server can report the order with it (docs/attribution.md). Through the documented command
// queue: this runs whether or not the (async) loader has arrived yet.
(function () {
  "use strict";

  var field = document.getElementById("visit-id");
  window.Onsite = window.Onsite || [];
  window.Onsite.push(["getVisit", function (visit) {
    if (field && visit && typeof visit.visit_id === "string") field.value = visit.visit_id;
  }]);
})();
