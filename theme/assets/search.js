// Search as you type over sopsite's sharded index (README, "Search index format"). No dependencies and no network
// beyond the site's own files: every index file is a script that calls sopsiteSearchData(name, data), loaded with a
// <script> element only when a query needs it, so search works from any static host and from file://.
// Keyboard: "/" focuses the box, arrows move, Enter opens, Esc closes.
(function () {
  "use strict";
  var FORMAT_VERSION = 3;
  var SHOWN = 10;              // results listed at once
  var PREFIX_EXPANSIONS = 40;  // most frequent completions kept for one prefix
  var TYPO_EXPANSIONS = 20;
  var MAX_WORD = 40, MAX_COMPOUND = 64;

  var root = document.documentElement.getAttribute("data-root") || "./";
  var base = root + "search/";

  // ---- Loading index files -------------------------------------------------------------------------------------

  var files = {};   // name → {promise, resolve, reject}
  var loaded = [];  // names in load order, for tests and benchmarks
  var manifest = null, manifestLoading = null;
  var termShards = {}, typoShards = {}, docShards = {}, postingCache = {};

  window.sopsiteSearchData = function (name, data) {
    var file = files[name];
    if (file && !file.done) { file.done = true; file.resolve(data); }
  };

  function loadFile(name) {
    if (files[name]) return files[name].promise;
    var file = files[name] = {};
    file.promise = new Promise(function (resolve, reject) {
      file.resolve = resolve;
      var script = document.createElement("script");
      script.src = base + name + ".js" + (manifest ? "?v=" + encodeURIComponent(manifest.build) : "");
      script.async = true;
      script.onload = function () {
        script.remove();
        if (!file.done) { delete files[name]; reject(new Error("search/" + name + ".js is not a search index file")); }
      };
      script.onerror = function () {
        script.remove();
        delete files[name];
        reject(new Error("could not load search/" + name + ".js"));
      };
      document.head.appendChild(script);
      loaded.push(name);
    });
    return file.promise;
  }

  function loadManifest() {
    if (!manifestLoading) {
      manifestLoading = loadFile("manifest").then(function (data) {
        if (data.version !== FORMAT_VERSION) {
          throw new Error("the search index is version " + data.version + "; this page reads version " + FORMAT_VERSION);
        }
        manifest = data;
        manifest.stop = {};
        data.stopWords.forEach(function (w) { manifest.stop[w] = true; });
        // [key, label] pairs, the label left out when it is the key
        ["processes", "owners", "kinds", "states"].forEach(function (list) {
          data[list] = data[list].map(function (pair) { return { key: pair[0], label: pair.length > 1 ? pair[1] : pair[0] }; });
        });
        manifest.typoKeys = data.typoShards.map(function (first, i) { return i ? typoKey(first) : [-1, 0, ""]; });
        return data;
      });
      manifestLoading.catch(function () { manifestLoading = null; });
    }
    return manifestLoading;
  }

  function cached(cache, name) {
    if (!cache[name]) {
      cache[name] = loadFile(name);
      cache[name].catch(function () { delete cache[name]; });
    }
    return cache[name];
  }

  // ---- Text: the same rules as Sources/Outputs/SearchText.swift ---------------------------------------------------

  var LETTER_FOLDS = { "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ς": "σ" };
  function fold(text) {
    return String(text).normalize("NFKD").toLowerCase().normalize("NFKD").replace(/\p{Mn}/gu, "")
      .replace(/[ßæœøłđðþıς]/g, function (c) { return LETTER_FOLDS[c]; });
  }
  var WORD = /[\p{L}\p{N}\p{M}]/u;
  var JOINERS = "-_./@", APOSTROPHES = "'\u2019\u02BC";

  // Cuts folded text into tokens {parts, compound}: runs of letters and digits, joined into a compound by - _ . / @
  // between them (SOP-CS-001); apostrophes inside a word are dropped (leaver's → leavers).
  function tokens(folded) {
    var out = [], word = "", parts = [], compound = "", pending = null;
    function endWord() {
      if (!word) return;
      parts.push(word);
      compound += word;
      word = "";
    }
    function endToken() {
      endWord();
      if (parts.length) out.push({ parts: parts, compound: parts.length > 1 ? compound : null });
      parts = [];
      compound = "";
      pending = null;
    }
    for (var ch of folded) {
      if (WORD.test(ch)) {
        if (pending !== null) {
          if (APOSTROPHES.indexOf(pending) < 0) { endWord(); compound += pending; }
          pending = null;
        }
        word += ch;
      } else if (pending === null && word && (JOINERS.indexOf(ch) >= 0 || APOSTROPHES.indexOf(ch) >= 0)) {
        pending = ch;
      } else {
        endToken();
      }
    }
    endToken();
    return out;
  }
  // English plurals to their singular (Lucene's EnglishMinimalStemmer; four or more ASCII letters): refunds → refund.
  function stem(word) {
    var n = word.length;
    if (n < 4 || word.charAt(n - 1) !== "s" || !/^[a-z]+$/.test(word)) return word;
    var second = word.charAt(n - 2), third = word.charAt(n - 3), fourth = word.charAt(n - 4);
    if (second === "u" || second === "s") return word;
    if (second === "e") {
      if (third === "i" && fourth !== "a" && fourth !== "e") return word.slice(0, n - 3) + "y";
      if ("iaoe".indexOf(third) >= 0) return word;
    }
    return word.slice(0, n - 1);
  }
  function length(s) { return Array.from(s).length; }
  function indexable(word) {
    var n = length(word);
    if (n === 0 || n > MAX_WORD || manifest.stop[word]) return false;
    return !(n === 1 && word.charCodeAt(0) < 128);
  }

  // The query's terms, in order: {text, parts (of a compound), prefixOnly}. Stop words and single ASCII letters are
  // dropped, except that a lone word the reader may still be typing ("on" of "onboard") is kept, as a prefix only.
  function parse(query) {
    var found = tokens(fold(query)), terms = [];
    found.forEach(function (token, i) {
      var last = i === found.length - 1;
      if (token.compound && length(token.compound) <= MAX_COMPOUND) {
        terms.push({ text: token.compound, parts: token.parts.filter(indexable).map(stem) });
      } else if (token.compound) {
        token.parts.filter(indexable).forEach(function (part) { terms.push({ text: stem(part), parts: [] }); });
      } else if (indexable(token.parts[0])) {
        terms.push({ text: stem(token.parts[0]), parts: [] });
      } else if (last && found.length === 1 && length(token.parts[0]) >= 2) {
        terms.push({ text: token.parts[0], parts: [], prefixOnly: true });
      }
    });
    return terms;
  }

  // ---- The vocabulary -------------------------------------------------------------------------------------------

  function lowerBound(list, term) {
    var lo = 0, hi = list.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (list[mid] < term) lo = mid + 1; else hi = mid;
    }
    return lo;
  }
  // The term shard that holds `term` if the index has it: the last whose key ≤ term.
  function termShardOf(term) {
    return Math.max(0, lowerBound(manifest.termShards, term + "\u0000") - 1);
  }
  function termShard(i) {
    return cached(termShards, "terms-" + i);
  }
  function termShardsBetween(low, high) {
    var loads = [];
    if (!manifest.termShards.length) return Promise.resolve(loads);   // an index without terms
    for (var i = termShardOf(low); i <= termShardOf(high); i++) loads.push(termShard(i));
    return Promise.all(loads);
  }

  // Typo shards are ordered by first character, then length in characters, then the term itself.
  function typoKey(term) {
    return [term.codePointAt(0), length(term), term];
  }
  function typoCompare(a, b) {
    return a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0);
  }
  function typoShardOf(key) {
    var keys = manifest.typoKeys, lo = 0, hi = keys.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (typoCompare(keys[mid], key) <= 0) lo = mid; else hi = mid - 1;
    }
    return lo;
  }
  // The index's terms one edit away from `text` that begin with its first character (so n - 1 to n + 1 characters
  // long): {term, documents}.
  function typoCandidates(text) {
    if (!manifest.typoKeys.length) return Promise.resolve([]);
    var first = text.codePointAt(0), n = length(text), loads = [];
    var low = typoShardOf([first, n - 1, ""]), high = typoShardOf([first, n + 1, "\uffff"]);
    for (var i = low; i <= high; i++) loads.push(cached(typoShards, "typos-" + i));
    return Promise.all(loads).then(function (shards) {
      var found = [];
      shards.forEach(function (shard) {
        shard.terms.forEach(function (term, j) {
          if (term.codePointAt(0) === first && Math.abs(term.length - text.length) <= 1 && oneEdit(text, term)) {
            found.push({ term: term, documents: shard.documents[j] });
          }
        });
      });
      return found;
    });
  }
  // One edit apart (insertion, deletion, substitution or swap of neighbours)?
  function oneEdit(a, b) {
    if (a === b) return false;
    var la = a.length, lb = b.length;
    if (Math.abs(la - lb) > 1) return false;
    var i = 0;
    while (i < la && i < lb && a[i] === b[i]) i++;
    if (la === lb) {
      if (a.slice(i + 1) === b.slice(i + 1)) return true;
      return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
    }
    return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }

  // Index terms a query term matches: {term, documents, factor}. Exact 1; a completion 0.5–0.9 (longer share, more);
  // one typo 0.6, only for words of typoMinimumLength letters or more without digits, sharing the first letter.
  function expand(q) {
    var typo = length(q.text) >= manifest.typoMinimumLength && !/\p{N}/u.test(q.text);
    var words = termShardsBetween(q.text, q.text + "\uffff");
    var typos = typo ? typoCandidates(q.text) : Promise.resolve([]);
    return Promise.all([words, typos]).then(function (both) {
      var exact = [], prefix = [];
      both[0].forEach(function (shard) {
        var terms = shard.terms;
        for (var i = lowerBound(terms, q.text); i < terms.length && terms[i].lastIndexOf(q.text, 0) === 0; i++) {
          var match = { term: terms[i], documents: shard.documents[i] };
          if (terms[i] === q.text) { if (!q.prefixOnly) { match.factor = 1; exact.push(match); } }
          else { match.factor = 0.5 + 0.4 * q.text.length / terms[i].length; prefix.push(match); }
        }
      });
      // a completion is a completion, not a typo (refunds → refund is matched as a prefix, at a better factor)
      var typos = both[1].filter(function (m) { return m.term.lastIndexOf(q.text, 0) !== 0; });
      typos.forEach(function (m) { m.factor = 0.6; });
      function frequent(a, b) { return b.documents - a.documents || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0); }
      return exact.concat(prefix.sort(frequent).slice(0, PREFIX_EXPANSIONS), typos.sort(frequent).slice(0, TYPO_EXPANSIONS));
    });
  }

  // ---- Postings --------------------------------------------------------------------------------------------------

  var DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", VALUE = {};
  for (var d = 0; d < DIGITS.length; d++) VALUE[DIGITS.charAt(d)] = d;

  // Decoded postings of an index term: [document, weight, document, weight, …], from the term's shard.
  function postings(term) {
    if (postingCache[term]) return Promise.resolve(postingCache[term]);
    return termShard(termShardOf(term)).then(function (shard) {
      var at = lowerBound(shard.terms, term);
      if (shard.terms[at] !== term) throw new Error("search/terms-" + termShardOf(term) + ".js has no term " + term);
      var text = shard.postings[at], list = [], previous = -1, i = 0;
      while (i < text.length) {
        var gap = 0, shift = 0, digit;
        do { digit = VALUE[text.charAt(i++)]; gap += (digit & 31) * Math.pow(2, shift); shift += 5; } while (digit & 32);
        previous += gap + 1;
        list.push(previous, VALUE[text.charAt(i++)]);
      }
      list = Int32Array.from(list);
      postingCache[term] = list;
      return list;
    });
  }

  // Best score per document for one query term, max over its matches of factor × weight × idf: a Float64Array with
  // one slot per document, 0 where it does not match (weights are at least 1, so a match is never 0).
  function termScores(matches) {
    return Promise.all(matches.map(function (m) { return postings(m.term); })).then(function (lists) {
      var scores = new Float64Array(manifest.documents);
      lists.forEach(function (list, k) {
        var m = matches[k], scale = m.factor * Math.log(1 + manifest.documents / m.documents);
        for (var i = 0; i < list.length; i += 2) {
          var s = scale * list[i + 1];
          if (s > scores[list[i]]) scores[list[i]] = s;
        }
      });
      return scores;
    });
  }
  // Sum per document of scores that are all non-zero; 0 where any is 0.
  function intersect(arrays) {
    var out = new Float64Array(manifest.documents);
    if (!arrays.length) return out;
    for (var doc = 0; doc < out.length; doc++) {
      var total = 0;
      for (var i = 0; i < arrays.length; i++) {
        if (!arrays[i][doc]) { total = 0; break; }
        total += arrays[i][doc];
      }
      out[doc] = total;
    }
    return out;
  }
  // A compound query term (sop-cs-001, on-call) matches a document that has the compound or all of its parts; its
  // score is the parts' (when all are there) plus the compound's, so the words written together rank first.
  function queryTermScores(q) {
    return expand(q).then(function (matches) {
      var whole = termScores(matches);
      if (!q.parts.length) return whole.then(function (scores) { return { scores: scores, matches: matches }; });
      return Promise.all([whole].concat(q.parts.map(function (part) {
        return expand({ text: part, parts: [] }).then(function (m) { matches = matches.concat(m); return termScores(m); });
      }))).then(function (all) {
        var scores = intersect(all.slice(1)), compound = all[0];
        for (var doc = 0; doc < scores.length; doc++) scores[doc] += compound[doc];
        return { scores: scores, matches: matches };
      });
    });
  }

  // ---- Filters and review state -----------------------------------------------------------------------------------

  function today() {
    var d = new Date();
    return Math.round(Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()) / 86400000);
  }
  var STALENESS = ["current", "due-soon", "overdue"];
  // The build's state, moved towards "more stale" when the reader's day is past the due date (as review-badge.js).
  function stateOf(built, dueDay) {
    if (built === null || built === undefined) return null;
    var key = manifest.states[built].key;
    if (dueDay === null || dueDay === undefined || STALENESS.indexOf(key) < 0) return key;
    var days = dueDay - today();
    var judged = days < 0 ? "overdue" : days <= manifest.dueSoonDays ? "due-soon" : "current";
    return STALENESS.indexOf(judged) > STALENESS.indexOf(key) ? judged : key;
  }
  function dayNumber(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    return m ? Math.round(Date.UTC(+m[1], +m[2] - 1, +m[3]) / 86400000) : null;
  }
  function activeFilters(filters) {
    return !!(filters && (filters.process || filters.owner || filters.state));
  }
  function passes(facets, doc, filters) {
    if (filters.process && (facets.process[doc] === null || manifest.processes[facets.process[doc]].key !== filters.process)) return false;
    if (filters.owner && (facets.owner[doc] === null || manifest.owners[facets.owner[doc]].key !== filters.owner)) return false;
    if (filters.state && stateOf(facets.state[doc], facets.due[doc]) !== filters.state) return false;
    return true;
  }

  // ---- Search ---------------------------------------------------------------------------------------------------

  // Runs a query; resolves to {total, results: [{doc, record, score, state}], words: folded terms to highlight}.
  function search(query, filters) {
    filters = filters || {};
    return loadManifest().then(function () {
      var terms = parse(query);
      if (!terms.length && !activeFilters(filters)) return { total: 0, results: [], words: {}, empty: true };
      var facets = activeFilters(filters) ? loadFile("facets") : Promise.resolve(null);
      var scored = terms.length ? Promise.all(terms.map(queryTermScores)) : Promise.resolve(null);
      return Promise.all([facets, scored]).then(function (both) {
        var facetData = both[0], perTerm = both[1], words = {}, totals = null;
        if (perTerm) {
          perTerm.forEach(function (t) {
            // Matched terms only (a compound is marked whole), not the parts of compounds a prefix reached:
            // "sop" reaches "sop-it-001", which must not mark every "it".
            t.matches.forEach(function (m) { words[m.term] = true; });
          });
          totals = intersect(perTerm.map(function (t) { return t.scores; }));
        }
        // The best SHOWN by score, then document number, kept in order as the documents pass (no sort of them all).
        var ranked = [], total = 0;
        for (var doc = 0; doc < manifest.documents; doc++) {
          var score = totals ? totals[doc] : 1;
          if (!(score > 0) || (facetData && !passes(facetData, doc, filters))) continue;
          total++;
          if (ranked.length === SHOWN && score <= ranked[SHOWN - 1].score) continue;
          var at = ranked.length;
          while (at > 0 && ranked[at - 1].score < score) at--;
          ranked.splice(at, 0, { doc: doc, score: totals ? score : 0 });
          if (ranked.length > SHOWN) ranked.pop();
        }
        return Promise.all(ranked.map(function (r) {
          var shard = Math.floor(r.doc / manifest.docShardSize);
          return cached(docShards, "docs-" + shard).then(function (data) {
            r.record = data.docs[r.doc - shard * manifest.docShardSize];
            r.state = stateOf(r.record.state, dayNumber(r.record.due));
            return r;
          });
        })).then(function (results) { return { total: total, results: results, words: words }; });
      });
    });
  }

  // For tests and `make bench`: the same search the box runs, plus the index files loaded so far.
  window.sopsiteSearch = {
    search: function (query, filters) {
      return search(query, filters).then(function (found) {
        return {
          total: found.total,
          results: found.results.map(function (r) {
            return { id: r.record.id, title: r.record.title, url: r.record.url, kind: manifest.kinds[r.record.kind].key,
                     state: r.state, status: r.record.status, score: r.score };
          }),
          files: loaded.slice()
        };
      });
    },
    fold: fold,
    parse: function (query) { return loadManifest().then(function () { return parse(query); }); }
  };

  // ---- The search box -------------------------------------------------------------------------------------------

  var input = document.getElementById("search-input");
  var panel = document.getElementById("search-panel");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var filterBox = document.getElementById("search-filters");
  if (!input || !panel || !list || !status || !filterBox) return;
  var selected = -1, sequence = 0, selects = {};

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text) e.textContent = text;
    return e;
  }
  function open() {
    panel.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }
  function close() {
    panel.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    selected = -1;
  }

  function buildFilters() {
    if (filterBox.childNodes.length) return;
    function select(name, label, any, options) {
      var id = "search-filter-" + name;
      var wrap = el("span", "search__filter");
      var caption = el("label", "visually-hidden", label);
      caption.htmlFor = id;
      var s = el("select");
      s.id = id;
      s.name = name;
      s.appendChild(new Option(any, ""));
      options.forEach(function (o) { s.appendChild(new Option(o.label, o.key)); });
      s.addEventListener("change", function () { run(true); });
      s.addEventListener("keydown", function (e) { if (e.key === "Escape") { e.preventDefault(); close(); input.focus(); } });
      selects[name] = s;
      wrap.appendChild(caption);
      wrap.appendChild(s);
      filterBox.appendChild(wrap);
    }
    select("process", "Process", "All processes", manifest.processes);
    select("owner", "Owner", "Any owner", manifest.owners);
    select("state", "Review state", "Any review state", manifest.states);
  }
  function currentFilters() {
    var f = {};
    Object.keys(selects).forEach(function (name) { if (selects[name].value) f[name] = selects[name].value; });
    return f;
  }

  // Appends `text` to `parent`, with the words a query matched wrapped in <mark>.
  var RUN = /[\p{L}\p{N}\p{M}]+(?:['\u2019\u02BC][\p{L}\p{N}\p{M}]+)*(?:[-_.\/@][\p{L}\p{N}\p{M}]+(?:['\u2019\u02BC][\p{L}\p{N}\p{M}]+)*)*/gu;
  function matchedRanges(text, words) {
    var ranges = [], m;
    RUN.lastIndex = 0;
    while ((m = RUN.exec(text))) {
      var whole = fold(m[0]).replace(/['\u2019\u02BC]/g, "");
      if (words[whole] || words[stem(whole)]) { ranges.push([m.index, m.index + m[0].length]); continue; }
      var part = /[^-_.\/@]+/g, p;
      while ((p = part.exec(m[0]))) {
        if (words[stem(fold(p[0]).replace(/['\u2019\u02BC]/g, ""))]) ranges.push([m.index + p.index, m.index + p.index + p[0].length]);
      }
    }
    return ranges;
  }
  function appendMarked(parent, text, words) {
    var at = 0;
    matchedRanges(text, words).forEach(function (r) {
      if (r[0] > at) parent.appendChild(document.createTextNode(text.slice(at, r[0])));
      parent.appendChild(el("mark", null, text.slice(r[0], r[1])));
      at = r[1];
    });
    if (at < text.length) parent.appendChild(document.createTextNode(text.slice(at)));
  }
  // The passage with the most matched words (the first passage when none matches).
  function excerpt(record, words) {
    var best = record.text[0] || "", bestCount = 0;
    record.text.forEach(function (passage) {
      var count = matchedRanges(passage, words).length;
      if (count > bestCount) { best = passage; bestCount = count; }
    });
    return best;
  }

  var LIFECYCLE = { draft: "Draft", retired: "Retired", superseded: "Superseded" };
  function show(found, query) {
    list.textContent = "";
    selected = -1;
    input.removeAttribute("aria-activedescendant");
    if (found.empty) {
      status.textContent = "Type a word, an SOP id, or choose a filter.";
    } else if (!found.total) {
      status.textContent = query.trim() ? "No procedure matches \u201c" + query.trim() + "\u201d." : "No procedure matches these filters.";
    } else if (found.total > found.results.length) {
      status.textContent = "Showing " + found.results.length + " of " + found.total + " results: type more or filter to narrow.";
    } else {
      status.textContent = found.total === 1 ? "1 result" : found.total + " results";
    }
    found.results.forEach(function (r, i) {
      var record = r.record, kind = manifest.kinds[record.kind];
      var a = el("a", "result" + (r.state ? " result--" + r.state : ""));
      a.href = root + record.url;
      a.id = "search-result-" + i;
      a.setAttribute("role", "option");
      a.setAttribute("aria-selected", "false");
      a.setAttribute("data-id", record.id);
      a.setAttribute("tabindex", "-1");
      var title = el("span", "result__title");
      appendMarked(title, record.title, found.words);
      a.appendChild(title);
      var meta = el("span", "result__meta");
      var parts = [];
      if (kind.key !== "process") parts.push(record.id);
      if (kind.key !== "procedure") parts.push(kind.label);
      if (record.process !== null && kind.key !== "process") parts.push(manifest.processes[record.process].label);
      if (record.owner !== null) parts.push(manifest.owners[record.owner].label);
      meta.appendChild(document.createTextNode(parts.join(" \u00b7 ")));
      if (record.status) {
        meta.appendChild(document.createTextNode(" "));
        meta.appendChild(el("span", "result__status", LIFECYCLE[record.status] || record.status));
      }
      if (r.state && r.state !== "current") {
        var label = manifest.states.filter(function (s) { return s.key === r.state; })[0];
        meta.appendChild(document.createTextNode(" "));
        meta.appendChild(el("span", "badge badge--" + r.state, label ? label.label : r.state));
      }
      a.appendChild(meta);
      var text = excerpt(record, found.words);
      if (text) {
        var p = el("span", "result__excerpt");
        appendMarked(p, text, found.words);
        a.appendChild(p);
      }
      list.appendChild(a);
    });
    open();
  }

  // Runs the box's query; an empty query without filters closes the panel unless `showEmpty` (arrow down) asks for it.
  function run(showEmpty) {
    var mine = ++sequence, query = input.value;
    loadManifest().then(function () {
      buildFilters();
      return search(query, currentFilters());
    }).then(function (found) {
      if (mine !== sequence) return;
      if (found.empty && showEmpty !== true) close(); else show(found, query);
    }).catch(function (error) {
      if (mine !== sequence) return;
      list.textContent = "";
      status.textContent = "Search is unavailable here (" + error.message + "). The search page lists every SOP.";
      open();
    });
  }

  function move(delta) {
    var options = list.querySelectorAll("[role=option]");
    if (!options.length) return;
    if (selected >= 0) options[selected].setAttribute("aria-selected", "false");
    selected = (selected + delta + options.length) % options.length;
    options[selected].setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", options[selected].id);
    options[selected].scrollIntoView({ block: "nearest" });
  }

  input.addEventListener("input", function () { run(false); });
  input.addEventListener("focus", function () {
    loadManifest().catch(function () {});
    if (input.value.trim() || activeFilters(currentFilters())) run(false);
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown") { e.preventDefault(); if (panel.hidden) run(true); else move(1); }
    else if (e.key === "ArrowUp") { e.preventDefault(); move(-1); }
    else if (e.key === "Enter") {
      var options = list.querySelectorAll("[role=option]");
      var target = panel.hidden ? null : options[selected >= 0 ? selected : 0];
      if (target) { e.preventDefault(); window.location.href = target.href; }
    } else if (e.key === "Escape") {
      e.preventDefault();
      if (!panel.hidden) close(); else { input.value = ""; input.blur(); }
    }
  });
  document.addEventListener("keydown", function (e) {
    var active = document.activeElement;
    if (e.key === "/" && !e.ctrlKey && !e.metaKey && !e.altKey && active !== input &&
        !(active && (/^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName) || active.isContentEditable))) {
      e.preventDefault();
      input.focus();
    }
  });
  document.addEventListener("click", function (e) {
    var form = input.form;
    if (!panel.hidden && !(form && form.contains(e.target))) close();
  });

  // On the search page, run the query the form submitted (?q=…).
  var q = new URLSearchParams(window.location.search).get("q");
  if (q && document.querySelector(".search-listing")) {
    input.value = q;
    run(false);
  }
})();
