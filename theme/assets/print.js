// The printed footer says when the copy was printed: the reader's date at print time (the build's date without JS).
(function () {
  "use strict";
  function stamp() {
    var d = new Date();
    var months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
    document.querySelectorAll(".print-date").forEach(function (el) {
      el.textContent = d.getDate() + " " + months[d.getMonth()] + " " + d.getFullYear();
    });
  }
  window.addEventListener("beforeprint", stamp);
})();
