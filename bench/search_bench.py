#!/usr/bin/env python3
"""Search benchmark of `make bench`: sopsite's sharded index against Pagefind's, in headless Debian Chromium.

  search_bench.py --site SOPSITE_SITE [--pagefind-site HUGO_OUTPUT] [--out search.json] [--queries 50]

For the sopsite site (its search/ folder, README "Search index format") and, when HUGO_OUTPUT/pagefind exists, the
Pagefind index of the same pages, it measures:
  - total index bytes, raw and gzip -9 (sopsite: search/*.js; Pagefind: pagefind-entry.json, *.pf_meta,
    index/*.pf_index, fragment/*.pf_fragment, which Pagefind already stores gzip-compressed; the client code is
    counted apart: assets/search.js, and pagefind.js + wasm.*.pagefind);
  - the bytes a reader downloads before the first results of a query: a fresh page (HTTP cache disabled) runs one query
    and the files the local HTTP server was asked for until the first results (the page's and its workers', as
    Pagefind fetches from a Web Worker) are sized on disk (raw and gzip -9);
  - query latency, performance.now() around the client call: first-time (fresh page, nothing of the index loaded yet,
    the client script already loaded as a page loads it) and repeated (the same query again in that page, median of 3).
The call is what a reader waits for before the list shows: sopsite `window.sopsiteSearch.search(q, {})` (ranked ids
plus the records of the 10 listed results); Pagefind `(await pagefind.search(q)).results.slice(0, 10).map(r =>
r.data())`, with pagefind.js imported from /pagefind/pagefind.js in a page of the Hugo output before the clock starts.
Queries: a fixed list of 50 drawn from the SOP titles (api/pages.json) with seed 1: whole words, a few prefixes and
one-typo variants; the same list for both tools. Prints a table and writes the numbers as JSON (--out) for report.py.

  search_bench.py --table A.json [B.json ...]

prints the Markdown table of bench/search-results.md from runs' JSON (one knowledge base each, smallest first), with
the goals of issue 6 judged on the numbers: total index bytes and bytes before the first results below Pagefind's
(raw and gzip), p95 under 10 ms at the largest size (first-time and repeated, each said).
Environment: CHROMIUM [/usr/bin/chromium], CHROMEDRIVER [/usr/bin/chromedriver].
"""
import argparse
import collections
import functools
import glob
import gzip
import http.server
import json
import os
import random
import re
import statistics
import sys
import threading
import time
import urllib.parse

os.environ.setdefault("SE_OFFLINE", "true")   # never let Selenium Manager download a driver

SHOWN = 10  # results listed at once by the sopsite client (assets/search.js); Pagefind loads as many fragments


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = dict(http.server.SimpleHTTPRequestHandler.extensions_map, **{".wasm": "application/wasm",
                                                                                    ".pagefind": "application/wasm"})

    def log_message(self, *args):
        pass

    def end_headers(self):
        # no-store: Chromium's "cache disabled" does not reach a page's Web Workers, so every page would otherwise find
        # Pagefind's files in the HTTP cache after the first query
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self):
        # every request, the page's and its workers' alike (Pagefind fetches its index from a Web Worker, which the
        # page's performance.getEntriesByType('resource') does not list)
        self.server.requests.append(urllib.parse.unquote(urllib.parse.urlsplit(self.path).path).lstrip("/"))
        return super().do_GET()


def serve(folder):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=folder))
    server.requests = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, "http://127.0.0.1:%d/" % server.server_address[1]


def gz(path):
    with open(path, "rb") as f:
        data = f.read()
    return len(data), len(gzip.compress(data, 9, mtime=0))


def total(paths):
    raw = gzipped = 0
    for p in paths:
        r, g = gz(p)
        raw += r
        gzipped += g
    return {"files": len(paths), "raw": raw, "gzip": gzipped}


def sopsite_index_files(site):
    return sorted(glob.glob(os.path.join(site, "search", "*.js")))


def pagefind_index_files(pf):
    return sorted([os.path.join(pf, "pagefind-entry.json")] + glob.glob(os.path.join(pf, "*.pf_meta"))
                  + glob.glob(os.path.join(pf, "index", "*.pf_index")) + glob.glob(os.path.join(pf, "fragment", "*.pf_fragment")))


def queries(site, n, seed=1):
    with open(os.path.join(site, "api", "pages.json"), encoding="utf-8") as f:
        titles = [p.get("title") or "" for p in json.load(f)]
    counts = collections.Counter(w for t in titles for w in re.findall(r"[a-z]+", t.lower()) if len(w) >= 4)
    words = sorted(counts)   # every distinct title word, in a fixed order
    rng = random.Random(seed)
    n_prefix, n_typo = max(1, n // 10), max(1, n // 10)
    picked = rng.sample(words, min(len(words), n - n_prefix - n_typo))
    out = list(picked)
    long_words = [w for w in words if len(w) >= 6]
    for w in rng.sample(long_words, min(len(long_words), n_prefix)):
        out.append(w[:rng.randint(3, 4)])                     # a prefix, as typed so far
    for w in rng.sample(long_words, min(len(long_words), n_typo)):
        i = rng.randrange(1, len(w) - 1)
        c = rng.choice([x for x in "abcdefghijklmnopqrstuvwxyz" if x != w[i]])
        out.append(w[:i] + c + w[i + 1:])                     # one substituted letter
    while len(out) < n and words:                             # a tiny site: repeat words to reach n
        out.append(words[len(out) % len(words)])
    return out[:n]


def start_browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    options = Options()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for a in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1200,900"]:
        options.add_argument(a)
    driver = webdriver.Chrome(service=Service(executable_path=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")),
                              options=options)
    driver.set_script_timeout(60)
    driver.set_page_load_timeout(60)
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
    return driver


SOPSITE_JS = """
var q = arguments[0], done = arguments[arguments.length - 1];
function once() {
  var t0 = performance.now();
  return window.sopsiteSearch.search(q, {}).then(function (r) {
    return {ms: performance.now() - t0, total: r.total, shown: r.results.length};
  });
}
window.__benchOnce = once;
once().then(function (first) {
  done({first: first, resources: performance.getEntriesByType('resource').map(function (e) { return [e.name, e.encodedBodySize || 0]; })});
}).catch(function (e) { done({error: String(e)}); });
"""

PAGEFIND_JS = """
var q = arguments[0], shown = arguments[1], done = arguments[arguments.length - 1];
import('/pagefind/pagefind.js').then(function (pagefind) {
  function once() {
    var t0 = performance.now();
    return pagefind.search(q).then(function (r) {
      return Promise.all(r.results.slice(0, shown).map(function (x) { return x.data(); })).then(function (d) {
        return {ms: performance.now() - t0, total: r.results.length, shown: d.length};
      });
    });
  }
  window.__benchOnce = once;
  return once().then(function (first) {
    done({first: first, resources: performance.getEntriesByType('resource').map(function (e) { return [e.name, e.encodedBodySize || 0]; })});
  });
}).catch(function (e) { done({error: String(e)}); });
"""

REPEAT_JS = """
var done = arguments[arguments.length - 1], repeats = [];
[0, 1, 2].reduce(function (p) {
  return p.then(function () { return window.__benchOnce().then(function (r) { repeats.push(r.ms); }); });
}, Promise.resolve()).then(function () { done({repeats: repeats}); }, function (e) { done({error: String(e)}); });
"""


def load1():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def pct(values, p):
    """Nearest-rank percentile."""
    s = sorted(values)
    if not s:
        return None
    k = max(0, min(len(s) - 1, int(-(-p * len(s) // 100)) - 1))
    return s[k]


def run_tool(driver, root, page, script, qs, classify, extra_args=()):
    """Runs every query in a fresh page of `root` served over HTTP; returns per-query rows and a summary."""
    server, url = serve(root)
    load_start = load1()
    rows = []
    try:
        for q in qs:
            del server.requests[:]
            driver.get(url + page)
            # the page's own scripts (sopsite: assets/search.js, deferred) have run once the load event has fired
            deadline = time.time() + 30
            while driver.execute_script("return document.readyState") != "complete" and time.time() < deadline:
                time.sleep(0.02)
            out = driver.execute_async_script(script, q, *extra_args)
            if "error" in out:
                raise RuntimeError("query %r: %s" % (q, out["error"]))
            requested = list(server.requests)   # everything downloaded until the first results were there
            again = driver.execute_async_script(REPEAT_JS)
            if "error" in again:
                raise RuntimeError("query %r repeated: %s" % (q, again["error"]))
            out["repeats"] = again["repeats"]
            fetched = {"index": [], "code": []}
            for path in requested:
                kind = classify(path)
                if kind:
                    fetched[kind].append(os.path.join(root, path))
            row = {"query": q, "first_ms": out["first"]["ms"], "repeat_ms": statistics.median(out["repeats"]),
                   "results": out["first"]["total"], "shown": out["first"]["shown"],
                   "index": total(sorted(set(fetched["index"]))), "code": total(sorted(set(fetched["code"]))),
                   "requested": requested}
            rows.append(row)
    finally:
        server.shutdown()
        server.server_close()
    first = [r["first_ms"] for r in rows]
    repeat = [r["repeat_ms"] for r in rows]
    idx_raw = [r["index"]["raw"] for r in rows]
    idx_gz = [r["index"]["gzip"] for r in rows]
    all_raw = [r["index"]["raw"] + r["code"]["raw"] for r in rows]
    all_gz = [r["index"]["gzip"] + r["code"]["gzip"] for r in rows]
    summary = {
        "queries": len(rows), "load1_start": load_start, "load1_end": load1(),
        "first_p50_ms": pct(first, 50), "first_p95_ms": pct(first, 95),
        "repeat_p50_ms": pct(repeat, 50), "repeat_p95_ms": pct(repeat, 95),
        "before_first_index_raw_median": statistics.median(idx_raw), "before_first_index_raw_max": max(idx_raw),
        "before_first_index_gzip_median": statistics.median(idx_gz), "before_first_index_gzip_max": max(idx_gz),
        "before_first_files_median": statistics.median(r["index"]["files"] for r in rows),
        "before_first_with_code_raw_median": statistics.median(all_raw),
        "before_first_with_code_gzip_median": statistics.median(all_gz),
        "code_raw": statistics.median(r["code"]["raw"] for r in rows),
        "no_results": sum(1 for r in rows if not r["results"]),
    }
    return {"summary": summary, "rows": rows}


def sopsite_classify(path):
    if path.startswith("search/") and path.endswith(".js"):
        return "index"
    if path == "assets/search.js":
        return "code"
    return None


def pagefind_classify(path):
    if not path.startswith("pagefind/"):
        return None
    base = path[len("pagefind/"):]
    if base == "pagefind-entry.json" or base.endswith((".pf_meta", ".pf_index", ".pf_fragment")):
        return "index"
    if base in ("pagefind.js", "pagefind-worker.js") or (base.startswith("wasm.") and base.endswith(".pagefind")):
        return "code"
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--site", help="a sopsite build output folder")
    ap.add_argument("--table", nargs="+", metavar="JSON", help="print the Markdown table of these runs' --out files")
    ap.add_argument("--pagefind-site", help="the Hugo output folder that Pagefind indexed (with its pagefind/ folder)")
    ap.add_argument("--out", help="write the numbers as JSON here")
    ap.add_argument("--queries", type=int, default=50)
    ap.add_argument("--name", help="label of the knowledge base [the site folder's parent]")
    args = ap.parse_args()
    if args.table:
        print_report([json.load(open(path, encoding="utf-8")) for path in args.table])
        return
    if not args.site:
        ap.error("--site is required (or --table)")

    site = os.path.abspath(args.site)
    if not glob.glob(os.path.join(site, "search", "manifest.js")):
        sys.exit("no search/manifest.js in %s: not a sopsite site with the sharded search index" % site)
    qs = queries(site, args.queries)
    with open(os.path.join(site, "api", "pages.json"), encoding="utf-8") as f:
        documents = len(json.load(f))
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    result = {"name": args.name or os.path.basename(os.path.dirname(site)), "site": site, "sops": documents,
              "cpu": cpu, "cores": os.cpu_count(),
              "queries": qs, "load1_start": float(open("/proc/loadavg").read().split()[0]),
              "sopsite": {"total": total(sopsite_index_files(site)),
                          "client": total([os.path.join(site, "assets", "search.js")])}}
    pf_root = os.path.abspath(args.pagefind_site) if args.pagefind_site else None
    pf = os.path.join(pf_root, "pagefind") if pf_root else None
    if pf and os.path.exists(os.path.join(pf, "pagefind.js")):
        with open(os.path.join(pf, "pagefind-entry.json"), encoding="utf-8") as f:
            pf_version = json.load(f).get("version")
        result["pagefind"] = {"total": total(pagefind_index_files(pf)), "version": pf_version,
                              "fragments": len(glob.glob(os.path.join(pf, "fragment", "*.pf_fragment"))),
                              "client": total([os.path.join(pf, "pagefind.js")] + glob.glob(os.path.join(pf, "wasm.*.pagefind")))}
    elif pf_root:
        result["pagefind_missing"] = "no pagefind/pagefind.js under %s" % pf_root

    driver = start_browser()
    try:
        try:
            result["chromium"] = driver.capabilities.get("browserVersion")
        except Exception:
            pass
        result["sopsite"].update(run_tool(driver, site, "search/index.html", SOPSITE_JS, qs, sopsite_classify))
        if "pagefind" in result:
            try:
                result["pagefind"].update(run_tool(driver, pf_root, "index.html", PAGEFIND_JS, qs, pagefind_classify,
                                                   extra_args=(SHOWN,)))
            except Exception as e:   # keep sopsite's numbers and the Pagefind sizes
                result["pagefind"]["error"] = str(e)[:500]
    finally:
        driver.quit()
    result["load1_end"] = float(open("/proc/loadavg").read().split()[0])

    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            json.dump(result, f, indent=1)
    print_table(result)


def fmt_bytes(b):
    return "—" if b is None else ("%.1f KiB" % (b / 1024) if b < 1048576 else "%.2f MiB" % (b / 1048576))


def table_rows(result):
    """(tool, total raw/gzip, files, before-first index raw/gzip, with client code, p50/p95 first, p50/p95 repeated)."""
    rows = []
    for tool in ("sopsite", "pagefind"):
        t = result.get(tool)
        if not t:
            continue
        s = t.get("summary", {})
        ms = lambda k: "—" if s.get(k) is None else "%.1f" % s[k]
        files = "%d files" % t["total"]["files"] + (" (%d fragments)" % t["fragments"] if "fragments" in t else "")
        rows.append([
            "sopsite" if tool == "sopsite" else "Pagefind",
            "%s / %s" % (fmt_bytes(t["total"]["raw"]), fmt_bytes(t["total"]["gzip"])), files,
            ("%s / %s (%g files)" % (fmt_bytes(s["before_first_index_raw_median"]), fmt_bytes(s["before_first_index_gzip_median"]),
                                    s["before_first_files_median"])) if s else "not measured" + (": " + t["error"] if t.get("error") else ""),
            fmt_bytes(s["before_first_index_raw_max"]) if s else "—",
            ("%s / %s" % (fmt_bytes(s["before_first_with_code_raw_median"]), fmt_bytes(s["before_first_with_code_gzip_median"]))) if s else "—",
            "%s / %s" % (ms("first_p50_ms"), ms("first_p95_ms")),
            "%s / %s" % (ms("repeat_p50_ms"), ms("repeat_p95_ms")),
        ])
    return rows


HEADER = ["tool", "index total raw / gzip", "index files", "index bytes before first results: median raw / gzip",
          "max raw", "with client code: median raw / gzip", "first-time ms p50 / p95", "repeated ms p50 / p95"]


def print_table(result):
    print("%s (%d documents), %d queries, Chromium %s, load %.2f→%.2f" % (
        result["name"], result["sops"], len(result["queries"]), result.get("chromium", "?"),
        result["load1_start"], result["load1_end"]))
    print("| " + " | ".join(HEADER) + " |")
    print("|" + "---|" * len(HEADER))
    for r in table_rows(result):
        print("| " + " | ".join(r) + " |")
    if result.get("pagefind_missing"):
        print("Pagefind: " + result["pagefind_missing"])


def print_report(results):
    """The Markdown of bench/search-results.md: one table of every size, then the goals judged on the numbers."""
    results = sorted(results, key=lambda r: r["sops"])
    kib = lambda b: "%.1f KiB" % (b / 1024) if b < 1048576 else "%.2f MiB" % (b / 1048576)
    ms = lambda v: "—" if v is None else "%.1f" % v
    first = results[0]
    print("Machine: %s, %s cores; headless Chromium %s; Pagefind %s (pagefind_bin); %d queries per size." % (
        first.get("cpu", "?"), first.get("cores", "?"), first.get("chromium", "?"),
        first.get("pagefind", {}).get("version", "?"), len(first["queries"])))
    print()
    print("| SOPs | tool | index total raw / gzip (files) | before first results: median raw / gzip (max raw) "
          "| + client code: median raw / gzip | first-time ms p50 / p95 | repeated ms p50 / p95 | load (1 min) |")
    print("|---:|---|---|---|---|---|---|---|")
    for r in results:
        for tool, label in (("sopsite", "sopsite"), ("pagefind", "Pagefind %s" % r.get("pagefind", {}).get("version", ""))):
            t = r.get(tool)
            if not t:
                continue
            s = t.get("summary")
            if not s:
                print("| %s | %s | %s / %s (%d) | not measured%s | | | | |" % ("{:,}".format(r["sops"]), label, kib(t["total"]["raw"]),
                      kib(t["total"]["gzip"]), t["total"]["files"], (": " + t["error"]) if t.get("error") else ""))
                continue
            print("| %s | %s | %s / %s (%d) | %s / %s (%s) | %s / %s | %s / %s | %s / %s | %s→%s |" % (
                "{:,}".format(r["sops"]), label, kib(t["total"]["raw"]), kib(t["total"]["gzip"]), t["total"]["files"],
                kib(s["before_first_index_raw_median"]), kib(s["before_first_index_gzip_median"]),
                kib(s["before_first_index_raw_max"]),
                kib(s["before_first_with_code_raw_median"]), kib(s["before_first_with_code_gzip_median"]),
                ms(s["first_p50_ms"]), ms(s["first_p95_ms"]), ms(s["repeat_p50_ms"]), ms(s["repeat_p95_ms"]),
                s.get("load1_start", r["load1_start"]), s.get("load1_end", r["load1_end"])))
    print()
    print("Goals (issue 6), judged on the numbers above:")
    print()

    def holds(ok):
        return "holds" if ok else "**fails**"
    measured = [r for r in results if r.get("pagefind", {}).get("summary") and r["sopsite"].get("summary")]
    for key, what in (("total", "total index bytes below Pagefind's"),):
        for kind in ("raw", "gzip"):
            ok = all(r["sopsite"][key][kind] < r["pagefind"][key][kind] for r in results if r.get("pagefind"))
            print("- %s (%s), at every size: %s" % (what, kind, holds(ok)))
    for kind in ("raw", "gzip"):
        k = "before_first_index_%s_median" % kind
        ok = all(r["sopsite"]["summary"][k] < r["pagefind"]["summary"][k] for r in measured)
        print("- bytes before the first results below Pagefind's (median, %s), at every size: %s" % (kind, holds(ok)))
    largest = max(results, key=lambda r: r["sops"])
    s = largest["sopsite"].get("summary", {})
    for k, what in (("first_p95_ms", "first-time (fresh page, nothing of the index loaded)"),
                    ("repeat_p95_ms", "repeated (the same query again in that page)")):
        v = s.get(k)
        print("- p95 under 10 ms at %s SOPs, %s: %s (%s ms)" % ("{:,}".format(largest["sops"]), what,
                                                               holds(v is not None and v < 10), ms(v)))


if __name__ == "__main__":
    main()
