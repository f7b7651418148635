// Printed SOPs repeat their identity on every page and say when they were printed: the header and footer bands of the
// page become @page margin boxes (CSSOM rules in the site's own stylesheet, which the Content-Security-Policy allows),
// with the reader's date. Without JavaScript, the bands print once, at the top and the end.
(function () {
  "use strict";
  var header = document.querySelector(".print-header");
  var footer = document.querySelector(".print-footer");
  var sheet = Array.prototype.find.call(document.styleSheets, function (s) { return /style\.css$/.test(s.href || ""); });
  if (!header || !footer || !sheet) return;
  var months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
  var ruleIndex = -1;
  function css(text) {
    return '"' + text.replace(/\s+/g, " ").trim().replace(/\\/g, "\\\\").replace(/"/g, '\\"') + '"';
  }
  function install() {
    var d = new Date();
    var date = d.getDate() + " " + months[d.getMonth()] + " " + d.getFullYear();
    document.querySelectorAll(".print-date").forEach(function (el) { el.textContent = date; });
    var left = header.querySelector(".print-header__left"), right = header.querySelector(".print-header__right");
    var rule = "@page { margin: 18mm 14mm; " +
      "@top-left { content: " + css(left ? left.textContent : "") + "; font-size: 9pt; } " +
      "@top-right { content: " + css(right ? right.textContent : "") + "; font-size: 9pt; } " +
      "@bottom-left { content: " + css(footer.textContent) + "; font-size: 8pt; } " +
      "@bottom-right { content: counter(page) \" / \" counter(pages); font-size: 8pt; } }";
    try {
      if (ruleIndex >= 0) sheet.deleteRule(ruleIndex);
      ruleIndex = sheet.insertRule(rule, sheet.cssRules.length);
      document.documentElement.classList.add("print-boxes");
    } catch (e) {
      // A browser without margin boxes keeps the printed bands.
    }
  }
  install();
  window.addEventListener("beforeprint", install);
})();
