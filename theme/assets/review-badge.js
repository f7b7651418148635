// Re-judges review badges when a page is read after it was built: the build wrote the state as of its --now day and
// the due date in data-review-due; a page read later must not claim "Current" past its due date (GOV.UK tech docs do
// the same with page-expiry.js). Dates are compared as yyyy-MM-dd in the reader's own calendar.
(function () {
  "use strict";
  var DUE_SOON_DAYS = 30;
  function today() {
    var d = new Date();
    return Date.UTC(d.getFullYear(), d.getMonth(), d.getDate());
  }
  function parse(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    return m ? Date.UTC(+m[1], +m[2] - 1, +m[3]) : null;
  }
  var labels = { "current": "Current", "due-soon": "Review due soon", "overdue": "Review overdue" };
  document.querySelectorAll("[data-review-due]").forEach(function (badge) {
    var due = parse(badge.getAttribute("data-review-due"));
    if (due === null) return;
    var days = Math.round((due - today()) / 86400000);
    var state = days < 0 ? "overdue" : days <= DUE_SOON_DAYS ? "due-soon" : "current";
    var built = badge.getAttribute("data-review-state");
    // Only ever move towards "more stale": a reader's wrong clock must not hide an overdue review.
    var order = ["current", "due-soon", "overdue"];
    if (order.indexOf(state) > order.indexOf(built)) {
      badge.classList.remove("badge--" + built);
      badge.classList.add("badge--" + state);
      badge.setAttribute("data-review-state", state);
      badge.textContent = labels[state];
    }
  });
})();
