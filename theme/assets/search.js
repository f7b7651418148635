// First-cut search client: no dependencies, no network beyond the site's own search-index.json. Loads the index on
// first use, filters as you type (every word must match the title, id, headings or text), ranks id and title matches
// first. Keyboard: "/" focuses, arrows move, Enter opens, Esc closes.
(function () {
  "use strict";
  var input = document.getElementById("search-input");
  var box = document.getElementById("search-results");
  if (!input || !box) return;
  var root = document.documentElement.getAttribute("data-root") || "./";
  var index = null, loading = null, selected = -1;

  function load() {
    if (index) return Promise.resolve(index);
    if (!loading) {
      loading = fetch(root + "search-index.json").then(function (r) {
        if (!r.ok) throw new Error("search index: HTTP " + r.status);
        return r.json();
      }).then(function (data) {
        index = data.pages.map(function (p) {
          return { page: p, id: fold(p.id), title: fold(p.title), headings: fold(p.headings.join(" ")), text: fold(p.text) };
        });
        return index;
      });
    }
    return loading;
  }
  function fold(s) {
    return String(s).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function score(entry, words) {
    var total = 0;
    for (var i = 0; i < words.length; i++) {
      var w = words[i], s = 0;
      if (entry.id === w) s = 100;
      else if (entry.id.indexOf(w) >= 0) s = 40;
      if (entry.title.indexOf(w) >= 0) s = Math.max(s, entry.title.split(/\W+/).indexOf(w) >= 0 ? 30 : 20);
      if (!s && entry.headings.indexOf(w) >= 0) s = 8;
      if (!s && entry.text.indexOf(w) >= 0) s = 2;
      if (!s) return 0;
      total += s;
    }
    return total;
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }
  function excerpt(text, word) {
    var at = fold(text).indexOf(word);
    var start = Math.max(0, at - 40);
    return (start > 0 ? "…" : "") + text.slice(start, start + 140) + "…";
  }
  function show(results, words) {
    box.textContent = "";
    selected = -1;
    if (!results.length) {
      box.appendChild(el("div", "result__empty", "No procedure matches “" + input.value + "”."));
    }
    results.slice(0, 12).forEach(function (r, i) {
      var a = el("a");
      a.href = root + r.page.url;
      a.id = "search-result-" + i;
      a.setAttribute("role", "option");
      a.appendChild(el("div", "result__title", r.page.title));
      var meta = r.page.id + (r.page.process ? " · " + r.page.process : "") + (r.page.owner ? " · " + r.page.owner : "");
      if (r.page.state === "overdue") meta += " · review overdue";
      a.appendChild(el("div", "result__meta", meta));
      a.appendChild(el("div", "result__meta", excerpt(r.page.text, words[0])));
      box.appendChild(a);
    });
    box.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }
  function close() {
    box.hidden = true;
    input.setAttribute("aria-expanded", "false");
  }
  function run() {
    var words = fold(input.value).split(/\s+/).filter(Boolean);
    if (!words.length) { close(); return; }
    load().then(function (entries) {
      var results = [];
      entries.forEach(function (e) {
        var s = score(e, words);
        if (s) results.push({ page: e.page, score: s });
      });
      results.sort(function (a, b) { return b.score - a.score || (a.page.id < b.page.id ? -1 : 1); });
      show(results, words);
    }).catch(function (error) {
      box.textContent = "";
      box.appendChild(el("div", "result__empty", "Search is unavailable here (" + error.message + ")."));
      box.hidden = false;
    });
  }
  function move(delta) {
    var links = box.querySelectorAll("a");
    if (!links.length) return;
    if (selected >= 0) links[selected].removeAttribute("aria-selected");
    selected = (selected + delta + links.length) % links.length;
    links[selected].setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", links[selected].id);
    links[selected].scrollIntoView({ block: "nearest" });
  }
  input.addEventListener("input", run);
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown") { e.preventDefault(); move(1); }
    else if (e.key === "ArrowUp") { e.preventDefault(); move(-1); }
    else if (e.key === "Enter") {
      var links = box.querySelectorAll("a");
      var target = links[selected >= 0 ? selected : 0];
      if (target) { e.preventDefault(); window.location.href = target.href; }
    } else if (e.key === "Escape") { close(); input.blur(); }
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "/" && document.activeElement !== input && !/^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName)) {
      e.preventDefault();
      input.focus();
    }
  });
  document.addEventListener("click", function (e) { if (!box.contains(e.target) && e.target !== input) close(); });
})();
