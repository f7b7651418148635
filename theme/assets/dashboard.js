// Review dashboard filters (progressive enhancement: without JavaScript every row is shown and the form stays hidden).
(function () {
  "use strict";
  var form = document.getElementById("dashboard-filters");
  if (!form) return;
  var process = document.getElementById("filter-process");
  var owner = document.getElementById("filter-owner");
  form.hidden = false;
  function apply() {
    document.querySelectorAll(".dashboard__group").forEach(function (group) {
      var visible = 0;
      group.querySelectorAll("tbody tr").forEach(function (row) {
        var show = (!process.value || row.getAttribute("data-process") === process.value) &&
                   (!owner.value || row.getAttribute("data-owner") === owner.value);
        row.hidden = !show;
        if (show) visible += 1;
      });
      group.hidden = visible === 0;
    });
  }
  process.addEventListener("change", apply);
  owner.addEventListener("change", apply);
})();
