#!/usr/bin/env python3
"""Writes bench/results.md from the work folders of bench/run.sh.

  report.py --versions VERSIONS.txt --out results.md WORKDIR [WORKDIR ...]

Each WORKDIR holds results.tsv (one row per run: wall, peak RSS, CPU, exit, load at start), sizes.tsv,
correctness.json and the logs of one repository (a generated knowledge base, or the B12 field case).
Medians over the timed runs (a tool whose warm-up run took longer than BENCH_LONG is measured by that one run).
"""
import argparse
import csv
import json
import os
import re
import statistics

DESC = {
    "sopsite": ("**sopsite**", "full build: history, pages, search index, api/pages.json, review outputs"),
    "sopsite-norev": ("sopsite, no revision pages", "the same with `--no-revision-pages`: one page per SOP, as the peers publish"),
    "sopsite-log": ("sopsite's history pass", "`sopsite log --no-cache` (every SOP's history, output discarded): the whole process"),
    "floor-raw": ("floor", "`git log -M --raw --no-abbrev` (one rename-detecting walk, output discarded)"),
    "floor-name-status": ("floor", "`git log -M --name-status`"),
    "mkdocs-git": ("MkDocs + Material", "search + git-revision-date-localized (creation dates) + git-authors"),
    "mkdocs-plain": ("MkDocs + Material", "search, no git plugins"),
    "mkdocs-revdate": ("MkDocs + Material", "search + git-revision-date-localized only"),
    "mkdocs-authors": ("MkDocs + Material", "search + git-authors only"),
    "hugo-git": ("Hugo", "minimal theme, `enableGitInfo = true`"),
    "hugo-nogit": ("Hugo", "minimal theme, `enableGitInfo = false`"),
    "pagefind": ("Pagefind", "search index of the Hugo (enableGitInfo) output"),
    "hugo-git+pagefind": ("Hugo + Pagefind", "enableGitInfo build, then Pagefind (sum of medians)"),
}
ORDER = ["sopsite", "sopsite-norev", "mkdocs-git", "mkdocs-plain", "mkdocs-revdate", "mkdocs-authors", "hugo-git", "hugo-nogit",
         "pagefind", "hugo-git+pagefind", "sopsite-log", "floor-raw", "floor-name-status"]
PEERS = ["mkdocs-git", "mkdocs-plain", "mkdocs-revdate", "mkdocs-authors", "hugo-git", "hugo-nogit", "pagefind",
         "hugo-git+pagefind"]
# `sopsite build --verbose` prints "   1.234 s  history pass (alongside)"
HISTORY_RE = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*(ms|s)\s+history pass\b", re.I | re.M)
INCREMENTAL = ["sopsite-cache-fill", "sopsite-nochange", "sopsite-one-sop"]


def mib(b):
    return f"{int(b) / 1048576:.1f} MiB"


def num(x, d=2):
    return "—" if x is None else f"{x:.{d}f}"


def ratio(a, b):
    if a is None or b is None or b == 0:
        return "—"
    r = a / b
    return f"{r:.0f}×" if r >= 100 else f"{r:.1f}×" if r >= 10 else f"{r:.2f}×"


def stats(rows, cfg):
    rs = [r for r in rows if r["config"] == cfg]
    if not rs:
        return None
    exceeded = [r for r in rs if r["exit"] in ("124", "137")]
    timed = [r for r in rs if r["kind"] == "timed" and r["exit"] == "0"]
    single = [r for r in rs if r["kind"] == "single" and r["exit"] == "0"]
    failed = [r for r in rs if r["exit"] not in ("0", "124", "137")]
    loads = [float(r["load1_start"]) for r in rs if r.get("load1_start")]
    base = {"wall": None, "cpu": None, "rss": None, "n": 0, "load": (min(loads), max(loads)) if loads else None}
    if exceeded:
        lim = max(float(r["wall_s"]) for r in exceeded)
        return dict(base, txt=f"> {lim:.0f} (killed at the time limit)", exceeded=lim)
    use = timed or single
    if not use:
        return dict(base, txt=("failed (exit " + ",".join(sorted({r["exit"] for r in failed})) + ")") if failed else "not run")
    w = [float(r["wall_s"]) for r in use]
    cpu = [float(r["user_s"]) + float(r["sys_s"]) for r in use]
    rss = [int(r["maxrss_kb"]) for r in use]
    med = statistics.median(w)
    d = 3 if med < 1 else 2
    if len(w) > 1:
        txt = f"{med:.{d}f} (n={len(w)}, {min(w):.{d}f}–{max(w):.{d}f})"
    else:
        txt = f"{med:.{d}f} (n=1{'' if timed else ', one long run'})"
    return dict(base, wall=med, cpu=statistics.median(cpu), rss=statistics.median(rss) * 1024, n=len(w), txt=txt)


def load_work(work):
    rows = list(csv.DictReader(open(os.path.join(work, "results.tsv"), encoding="utf-8"), delimiter="\t"))
    sizes = {}
    if os.path.exists(os.path.join(work, "sizes.tsv")):
        for r in csv.DictReader(open(os.path.join(work, "sizes.tsv"), encoding="utf-8"), delimiter="\t"):
            sizes[r["config"]] = r
    st = {c: s for c in ORDER + INCREMENTAL if (s := stats(rows, c))}
    hg, pf = st.get("hugo-git"), st.get("pagefind")
    if hg and pf and hg["wall"] is not None and pf["wall"] is not None:
        st["hugo-git+pagefind"] = {"wall": hg["wall"] + pf["wall"], "cpu": hg["cpu"] + pf["cpu"],
                                   "rss": max(hg["rss"], pf["rss"]), "n": min(hg["n"], pf["n"]), "load": None,
                                   "txt": f"{hg['wall'] + pf['wall']:.2f} (sum)"}
    corr = None
    if os.path.exists(os.path.join(work, "correctness.json")):
        corr = json.load(open(os.path.join(work, "correctness.json"), encoding="utf-8"))
    history, summary = [], None
    logs = os.path.join(work, "logs")
    for f in sorted(os.listdir(logs)) if os.path.isdir(logs) else []:
        if f.startswith("sopsite.run") and f.endswith(".log"):
            text = open(os.path.join(logs, f), encoding="utf-8", errors="replace").read()
            m = HISTORY_RE.search(text)
            if m:
                history.append(float(m.group(1)) / (1000 if m.group(2).lower() == "ms" else 1))
            for line in text.splitlines():
                if line.startswith("Built "):
                    summary = line
    extra = {}
    for name in ("check_truth.txt", "compare_git_log.txt"):
        p = os.path.join(work, name)
        if os.path.exists(p):
            extra[name] = open(p, encoding="utf-8", errors="replace").read()
    truth = None
    if os.path.exists(os.path.join(work, "truth.json")):
        t = json.load(open(os.path.join(work, "truth.json"), encoding="utf-8"))
        truth = {"params": t.get("params", {}), "stats": t.get("stats", {})}
    name = rows[0]["repo"] if rows else os.path.basename(work)
    return {"dir": work, "name": name, "rows": rows, "sizes": sizes, "st": st, "corr": corr, "extra": extra, "truth": truth,
            "history": statistics.median(history) if history else None, "summary": summary}


def title(w):
    if w["truth"]:
        p = w["truth"]["params"]
        return f"{p.get('pages', 0):,} SOPs / {p.get('commits', 0):,} commits (`make_sop_repo.py --seed {p.get('seed', 1)}`)"
    if w["name"] == "B12":
        return "field case B12: 3,000 pages / 6,001 commits (`../shared/cases/B12.sh`, sopsite and the floor only)"
    return w["name"]


def size_cells(w, cfg):
    sz = w["sizes"].get(cfg, {})
    out = f"{mib(sz['site_bytes'])} ({sz['site_files']} files)" if sz.get("site_bytes") and cfg != "pagefind" else "—"
    idx = "—"
    if sz.get("index_bytes"):
        idx = mib(sz["index_bytes"]) + (f" in {sz['index_files']} files" if cfg == "pagefind" else
                                        f" ({os.path.basename(sz['index_path'])})")
    return out, idx


def timing_table(w, md):
    st = w["st"]
    s = st.get("sopsite")
    md.append("| tool | what | wall s: median (n, min–max) | CPU s (user+sys) | peak RSS | load at start | output | search index "
              "| peer ÷ sopsite: wall · CPU · memory (floor: sopsite ÷ floor) |")
    md.append("|---|---|---|---|---|---|---|---|---|")
    for c in ORDER:
        if c not in st:
            continue
        x = st[c]
        tool, desc = DESC[c]
        out, idx = size_cells(w, c)
        load = "—"
        if x.get("load"):
            lo, hi = x["load"]
            load = f"{lo:.1f}" if lo == hi else f"{lo:.1f}–{hi:.1f}"
        rel = ""
        fn = st.get("floor-name-status")
        if c == "sopsite-log":
            if fn and fn["wall"] and x["wall"] is not None:
                rel = (f"{ratio(x['wall'], fn['wall'])} (wall) · {ratio(x['cpu'], fn['cpu'])} (CPU) "
                       "`git log -M --name-status`")
        elif c.startswith("floor") and s and s["wall"] is not None and x["wall"]:
            rel = f"sopsite takes {ratio(s['wall'], x['wall'])} (wall) · {ratio(s['cpu'], x['cpu'])} (CPU)"
        elif c != "sopsite" and s and s["wall"] is not None:
            rel = f"{ratio(x['wall'], s['wall'])} · {ratio(x['cpu'], s['cpu'])} · {ratio(x['rss'], s['rss'])}"
            if x["wall"] is None and x.get("exceeded"):
                rel = f"> {ratio(x['exceeded'], s['wall'])} (wall)"
        rss = mib(x["rss"]) if x["rss"] else "—"
        md.append(f"| {tool} | {desc} | {x['txt']} | {num(x['cpu'])} | {rss} | {load} | {out} | {idx} | {rel} |")


def correctness_table(w, md):
    c = w["corr"] or {}
    tools = [(k, n) for k, n in (("sopsite", "**sopsite**"), ("mkdocs-git", "MkDocs + git plugins"),
                                 ("hugo-git", "Hugo, enableGitInfo")) if k in c]
    if not tools:
        return
    md.append("")
    md.append("Correctness against the generator's truth, every page (read from each tool's output: sopsite's "
              "`api/pages.json`, the peers' HTML; rules of `../shared/bench/verify_dates.py`):")
    md.append("")
    md.append("| tool | pages found | last change = newest commit touching the page (renames included) "
              "| instead: newest non-rename · newest meaningful edit · wrong/missing | last content change right "
              "| last revision = generator's last meaningful edit¹ | created right | last author right | commits right |")
    md.append("|---|---|---|---|---|---|---|---|---|")
    for k, n in tools:
        r = c[k]
        pages = r["pages"]
        u = r["updated"]

        def pc(v):
            return f"{v:,}/{pages:,} ({100 * v / pages:.1f} %)" if pages else "—"

        def fact(key, note=""):
            f = r.get(key)
            return "—" if f is None else "not shown" if f["missing"] >= pages else pc(f["ok"]) + note
        author = fact("last_author", " (in its contributors list)" if k == "mkdocs-git" else "")
        md.append(f"| {n} | {r['found']:,}/{pages:,} | {pc(u['exact'])} | {u['rename-skipped']:,} · {u['ws-skipped']:,} · "
                  f"{u['WRONG'] + u['missing']:,} | {fact('last_content')} | {fact('last_revision')} | {fact('created')} "
                  f"| {author} | {fact('commits')} |")
    md.append("")
    md.append("¹ The generator's `last_edit` is the newest in-place edit beyond whitespace; a peer has one date for all of "
              "these columns. sopsite's `last_revision` follows its own definition (README, \"What comes from Git\": a "
              "front-matter-only edit is metadata, not a revision; a move with a body edit is one), so that column is "
              "informational for sopsite.")
    notes = []
    ct = w["extra"].get("check_truth.txt", "")
    if ct:
        notes.append("`bench/check_truth.py`: " + ("every fact agrees" if ct.rstrip().endswith("exit 0")
                                                   else "disagreements, see check_truth.txt"))
    cg = w["extra"].get("compare_git_log.txt", "")
    m = re.search(r"^(\d+)/(\d+) pages agree with git log --follow", cg, re.M)
    if m:
        notes.append(f"`bench/compare_git_log.py` on the {m.group(2)} pages with the most commits: "
                     f"{m.group(1)}/{m.group(2)} agree with `git log --follow`")
    if notes:
        md.append("")
        md.append("; ".join(notes) + ".")


def b12_section(w, md):
    c = (w["corr"] or {}).get("b12")
    if not c:
        return
    md.append("")
    md.append(f"Spot values of `../shared/cases/README.md` in sopsite's `api/pages.json`: {c['spots_ok']}/{c['spots_total']} right "
              f"({c['pages']:,} pages).")
    md.append("")
    md.append("| page | expected | sopsite | right |")
    md.append("|---|---|---|---|")
    for s in c["spots"]:
        want = ", ".join(f"{k} {v}" for k, v in s["want"].items())
        got = ", ".join(f"{k} {s['got'].get(k)}" for k in s["want"])
        md.append(f"| `{s['path']}` | {want} | {got} | {'yes' if s['ok'] else 'NO'} |")


def floor_line(w, md):
    st = w["st"]
    s, fr, fn = st.get("sopsite"), st.get("floor-raw"), st.get("floor-name-status")
    if not (s and s["wall"] is not None and fr and fr["wall"] is not None):
        return
    line = (f"sopsite's whole build takes {ratio(s['wall'], fr['wall'])} the wall time of the floor "
            f"`git log -M --raw --no-abbrev` ({s['wall']:.2f} s vs {fr['wall']:.2f} s; CPU {ratio(s['cpu'], fr['cpu'])})")
    if fn and fn["wall"] is not None:
        line += f" and {ratio(s['wall'], fn['wall'])} that of `git log -M --name-status` ({fn['wall']:.2f} s)"
    lg = st.get("sopsite-log")
    if lg and lg["wall"] is not None:
        line += (f"; its history pass alone, `sopsite log --no-cache` as a whole process, {lg['wall']:.2f} s = "
                 f"{ratio(lg['wall'], fr['wall'])} the floor" + (f", {ratio(lg['wall'], fn['wall'])} `git log -M --name-status`"
                                                               if fn and fn["wall"] is not None else ""))
        if w["history"] is not None:
            line += f" (inside the build, alongside document loading, sopsite reports {w['history']:.2f} s)"
    elif w["history"] is not None:
        line += f"; its history pass alone (as sopsite reports it) {w['history']:.2f} s = {ratio(w['history'], fr['wall'])} the floor"
    else:
        line += "; sopsite does not report its history pass separately, so the whole build is compared"
    md.append("")
    md.append(line + ".")
    if w["summary"]:
        md.append(f"sopsite said: `{w['summary']}`")


def goals(works, md):
    gen = [w for w in works if w["truth"]]
    if not gen:
        return
    w = max(gen, key=lambda w: w["truth"]["params"].get("pages", 0))
    st, c = w["st"], (w["corr"] or {}).get("sopsite")
    s, h = st.get("sopsite"), st.get("hugo-git")
    fn = st.get("floor-name-status")
    rows = []
    if s and s["wall"] is not None and h and h["wall"] is not None:
        rw, rc = h["wall"] / s["wall"], h["cpu"] / s["cpu"]
        rows.append(("≥ 2× faster than Hugo with enableGitInfo, wall and CPU",
                     f"wall {rw:.2f}×, CPU {rc:.2f}× ({s['wall']:.2f} s / {s['cpu']:.2f} CPU-s vs {h['wall']:.2f} s / {h['cpu']:.2f} CPU-s)",
                     rw >= 2 and rc >= 2))
    n = st.get("sopsite-norev")
    if n and n["wall"] is not None and h and h["wall"] is not None:
        rw, rc = h["wall"] / n["wall"], h["cpu"] / n["cpu"]
        rows.append(("… like for like: without revision pages (one page per SOP, as Hugo)",
                     f"wall {rw:.2f}×, CPU {rc:.2f}× ({n['wall']:.2f} s / {n['cpu']:.2f} CPU-s), peak {n['rss'] / 1048576:.0f} MiB",
                     rw >= 2 and rc >= 2))
    m = st.get("mkdocs-git")
    if s and s["wall"] is not None and m and (m["wall"] is not None or m.get("exceeded")):
        mw = m["wall"] if m["wall"] is not None else m["exceeded"]
        rows.append(("> 100× faster than MkDocs with the git plugins", f"{mw / s['wall']:.0f}× ({mw:.0f} s vs {s['wall']:.2f} s)",
                     mw / s["wall"] > 100))
    if s and s["rss"]:
        rows.append(("peak memory ≤ 200 MiB", f"{s['rss'] / 1048576:.0f} MiB"
                     + (f" (Hugo {h['rss'] / 1048576:.0f} MiB)" if h and h['rss'] else ""), s["rss"] <= 200 * 1048576))
    lg = st.get("sopsite-log")
    if lg and lg["wall"] is not None and fn and fn["wall"] is not None:
        rows.append(("history pass within 1.5× of `git log -M --name-status`",
                     f"`sopsite log --no-cache`, whole process: {lg['wall']:.2f} s vs {fn['wall']:.2f} s = "
                     f"{lg['wall'] / fn['wall']:.2f}× wall; CPU {lg['cpu']:.2f} vs {fn['cpu']:.2f} CPU-s = {lg['cpu'] / fn['cpu']:.2f}×",
                     lg["wall"] <= 1.5 * fn["wall"]))
    elif s and s["wall"] is not None and fn and fn["wall"] is not None:
        if w["history"] is not None:
            rows.append(("history pass within 1.5× of `git log -M --name-status`",
                         f"{w['history']:.2f} s vs {fn['wall']:.2f} s = {w['history'] / fn['wall']:.2f}×", w["history"] <= 1.5 * fn["wall"]))
        else:
            holds = True if s["wall"] <= 1.5 * fn["wall"] else None
            rows.append(("history pass within 1.5× of `git log -M --name-status`",
                         f"not reported separately; whole build {s['wall']:.2f} s = {s['wall'] / fn['wall']:.2f}× the pass "
                         f"({fn['wall']:.2f} s){' — an upper bound' if holds else ''}", holds))
    if c:
        corr = w["corr"] or {}
        peers = "; ".join(f"{n} {corr[k]['updated']['exact']:,}" for k, n in (("mkdocs-git", "MkDocs"), ("hugo-git", "Hugo"))
                          if k in corr)
        rows.append(("last change right on 100 % of pages", f"{c['updated']['exact']:,}/{c['pages']:,}"
                     + (f" ({peers})" if peers else ""), c["updated"]["exact"] == c["pages"]))
        if c.get("last_revision"):
            peers = "; ".join(f"{n} {corr[k]['last_revision']['ok']:,}" for k, n in (("mkdocs-git", "MkDocs"), ("hugo-git", "Hugo"))
                              if k in corr and corr[k].get("last_revision"))
            rows.append(("last revision right on 100 % of pages (against the generator's `last_edit`¹)",
                         f"{c['last_revision']['ok']:,}/{c['pages']:,}" + (f" ({peers})" if peers else ""),
                         c["last_revision"]["ok"] == c["pages"]))
    if not rows:
        return
    md.append("")
    md.append(f"## Goals of issue 9 (at {title(w).split(' (')[0]})")
    md.append("")
    md.append("| goal | measured | holds |")
    md.append("|---|---|---|")
    for g, v, ok in rows:
        md.append(f"| {g} | {v} | {'yes' if ok else 'unknown' if ok is None else '**no**'} |")


def overview(works, md):
    md.append("## sopsite vs each peer")
    md.append("")
    md.append("Ratios are peer ÷ sopsite (medians): above 1× sopsite is faster or smaller; `floor` rows are sopsite ÷ floor.")
    md.append("")
    md.append("| repository | compared with | wall | CPU | peak memory | last change right: peer / sopsite |")
    md.append("|---|---|---|---|---|---|")
    for w in works:
        st = w["st"]
        s = st.get("sopsite")
        if not s or s["wall"] is None:
            continue
        corr = w["corr"] or {}
        label = title(w).split(" (")[0]
        sc = corr.get("sopsite")
        for c in PEERS:
            x = st.get(c)
            if not x:
                continue
            acc = ""
            if c in corr and sc:
                acc = f"{corr[c]['updated']['exact']:,} / {sc['updated']['exact']:,} of {sc['pages']:,}"
            if x["wall"] is None:
                wall = f"> {ratio(x['exceeded'], s['wall'])}" if x.get("exceeded") else x["txt"]
                md.append(f"| {label} | {DESC[c][0]}: {DESC[c][1]} | {wall} | — | — | {acc} |")
                continue
            md.append(f"| {label} | {DESC[c][0]}: {DESC[c][1]} | {ratio(x['wall'], s['wall'])} | {ratio(x['cpu'], s['cpu'])} "
                      f"| {ratio(x['rss'], s['rss'])} | {acc} |")
        for c in ("floor-raw", "floor-name-status"):
            x = st.get(c)
            if x and x["wall"] is not None:
                md.append(f"| {label} | {DESC[c][0]}: {DESC[c][1]} | sopsite ÷ floor {ratio(s['wall'], x['wall'])} "
                          f"| {ratio(s['cpu'], x['cpu'])} | — | |")
        lg, fn = st.get("sopsite-log"), st.get("floor-name-status")
        if lg and lg["wall"] is not None and fn and fn["wall"] is not None:
            md.append(f"| {label} | sopsite's history pass (`sopsite log --no-cache`) against the floor `git log -M --name-status` "
                      f"| history pass ÷ floor {ratio(lg['wall'], fn['wall'])} | {ratio(lg['cpu'], fn['cpu'])} | — | |")


def incremental_section(works, md):
    """Issue 8's rows: a build that fills a fresh cache, rebuilds with nothing changed, rebuilds after one SOP's edit."""
    rows = []
    for w in works:
        st = w["st"]
        full = st.get("sopsite")
        if not full or full["wall"] is None:
            continue
        for cfg, what in (("sopsite-cache-fill", "full build that fills a fresh cache"),
                          ("sopsite-nochange", "rebuild, nothing changed"),
                          ("sopsite-one-sop", "rebuild after editing one SOP's text")):
            x = st.get(cfg)
            if not x or x["wall"] is None:
                continue
            share = f"{100 * x['wall'] / full['wall']:.1f} %" if full["wall"] else "—"
            rows.append(f"| {title(w).split(' (')[0]} | {what} | {x['txt']} | {num(x['cpu'])} | {mib(x['rss']) if x['rss'] else '—'} "
                        f"| {share} |")
    if not rows:
        return
    md.append("")
    md.append("## Incremental builds (`--cache`)")
    md.append("")
    md.append("`sopsite build --cache DIR` into the same output folder; the share is of the median full build without a cache "
              "(`--no-cache`, the sopsite row of each table below). Goal (issue 8): a one-SOP rebuild at most 5 % of a full build.")
    md.append("")
    md.append("| repository | build | wall s: median (n, min–max) | CPU s | peak RSS | share of a full build (wall) |")
    md.append("|---|---|---|---|---|---|")
    md.extend(rows)


def serve_section(works, md):
    """Issue 8's preview-server rows (bench/serve_load.sh): wrk on one SOP page, then save-to-visible after edits."""
    rows = []
    for w in works:
        path = os.path.join(w["dir"], "serve-load.txt")
        if not os.path.exists(path):
            continue
        kv = {}
        for line in open(path, encoding="utf-8"):
            key, _, value = line.rstrip("\n").partition(" ")
            kv[key] = value.strip()
        seen = [float(x) for x in kv.get("save_to_visible_s", "").split() if x.replace(".", "", 1).isdigit()]
        misses = len([x for x in kv.get("save_to_visible_s", "").split() if x == "timeout"])
        rebuilds = [float(x) for x in kv.get("rebuild_s", "").split() if x.replace(".", "", 1).isdigit()]
        errors = int(kv.get("non2xx", "0") or 0) + int(kv.get("socket_errors", "0") or 0)
        visible = (f"{statistics.median(seen):.2f} s (n={len(seen)}, {min(seen):.2f}–{max(seen):.2f})" if seen else "—") \
            + (f", {misses} not seen in 120 s" if misses else "")
        rows.append(f"| {title(w).split(' (')[0]} | {kv.get('requests_per_sec', '?')} | {kv.get('requests', '?')} | {errors} "
                    f"| {kv.get('latency_p50_ms', '?')} / {kv.get('latency_p99_ms', '?')} | {visible} "
                    f"| {statistics.median(rebuilds):.2f} s | {kv.get('load1_start', '?')} |" if rebuilds else
                    f"| {title(w).split(' (')[0]} | {kv.get('requests_per_sec', '?')} | {kv.get('requests', '?')} | {errors} "
                    f"| {kv.get('latency_p50_ms', '?')} / {kv.get('latency_p99_ms', '?')} | {visible} | — | {kv.get('load1_start', '?')} |")
    if not rows:
        return
    md.append("")
    md.append("## Preview server (`sopsite serve`)")
    md.append("")
    md.append("`bench/serve_load.sh`: `sopsite serve` on the repository (site in memory), `wrk -t2 -c32 --latency` on one SOP page "
              "over loopback (both at the bench's niceness, sharing the 2 cores), then three edits of that SOP's file, each timed "
              "from the save to the page showing it (the server polls the files and rebuilds in memory; the rebuild column is "
              "the server's own report). Goal (issue 8): 0 errors.")
    md.append("")
    md.append("| repository | requests/s | requests | errors | latency p50 / p99 ms | save to visible: median | server rebuild: median | load at start |")
    md.append("|---|---|---|---|---|---|---|---|")
    md.extend(rows)


def search_section(works, md):
    """The table of bench/search_bench.py (WORK/search.json), one block of rows per knowledge base."""
    import sys
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from search_bench import HEADER, table_rows
    found = []
    for w in works:
        p = os.path.join(w["dir"], "search.json")
        if os.path.exists(p):
            found.append(json.load(open(p, encoding="utf-8")))
    if not found:
        return
    md.append("")
    md.append("## Search")
    md.append("")
    md.append("`bench/search_bench.py`, headless Chromium " + (found[0].get("chromium") or "?") + ", pages served from a local "
              "HTTP server (no compression, HTTP cache off). Index bytes: sopsite `search/*.js`; Pagefind "
              "`pagefind-entry.json`, `*.pf_meta`, `index/`, `fragment/` (already gzip-compressed on disk, so gzip -9 cannot "
              "shrink them). Before first results: the files a fresh page downloaded until the first 10 results had titles "
              "(sopsite: `sopsiteSearch.search`; Pagefind: `pagefind.search` plus `data()` of the first 10), median over the "
              "queries; client code is sopsite's `assets/search.js`, Pagefind's `pagefind.js`, worker and wasm. Latency: "
              "`performance.now()` around that call; first-time in a fresh page (client script loaded, no index file yet), "
              "repeated = the same query again in that page (median of 3). Queries: 50 drawn from the SOP titles (whole "
              "words, prefixes, one-typo variants), the same for both tools.")
    md.append("")
    md.append("| SOPs | " + " | ".join(HEADER) + " |")
    md.append("|" + "---|" * (len(HEADER) + 1))
    for r in found:
        for row in table_rows(r):
            md.append(f"| {r['sops']:,} | " + " | ".join(row) + " |")
    loads = [x for r in found for x in (r.get("load1_start"), r.get("load1_end")) if x is not None]
    if loads:
        md.append("")
        md.append(f"Load average during the search runs: {min(loads):.1f}–{max(loads):.1f} (latencies are wall-clock "
                  "in a browser sharing the machine). Per-query numbers: `$BENCH_DIR/work/*/search.json`.")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--versions", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("works", nargs="+")
    a = ap.parse_args()
    v = {}
    for line in open(a.versions, encoding="utf-8"):
        k, _, val = line.rstrip("\n").partition(": ")
        v[k] = val
    works = [load_work(w) for w in a.works]
    md = ["# sopsite benchmark", ""]
    md.append(f"Written by `make bench` (`bench/run.sh`), run started {v.get('date_utc', '?')}. Do not edit by hand: run `make bench` again.")
    md.append("")
    md.append(f"- **Machine**: {v.get('cpu', '?')}, {v.get('cores', '?')} cores, {v.get('memory', '?')}, {v.get('os', '?')}; "
              f"every measured process at niceness {v.get('nice', '?')} (the load average at the start of each run is shown: "
              "the machine is shared, so a high one means the run competed for the 2 cores).")
    md.append(f"- **Versions**: sopsite {v.get('sopsite', '?')} ({v.get('swift', '?')}, `-c release`); git {v.get('git', '?')}; "
              f"Hugo {v.get('hugo', '?')} (Debian); mkdocs {v.get('mkdocs', '?')}, mkdocs-material {v.get('mkdocs-material', '?')}, "
              f"mkdocs-git-revision-date-localized-plugin {v.get('mkdocs-git-revision-date-localized-plugin', '?')}, "
              f"mkdocs-git-authors-plugin {v.get('mkdocs-git-authors-plugin', '?')} (PyPI, Python {v.get('python', '?')}); "
              f"Pagefind {v.get('pagefind', '?')} (`pagefind_bin`).")
    md.append(f"- **Method**: each tool timed as a whole process with `/usr/bin/time -v` (wall, user+sys CPU of the process tree, "
              f"peak RSS of its largest process); {v.get('runs', '?')}; output deleted before each run, page cache warm "
              "(sopsite's builds without revision pages run before those with them, so that they do not start among the 29,000 "
              "inodes the latter delete each run: see `bench/run.sh`). "
              "Peers run by `../shared/bench/run_peers.sh` (its configs and theme); sopsite as "
              "`sopsite build --no-cache --repo REPO --out DIR --now 2026-11-30`, its history pass alone as "
              "`sopsite log --no-cache --repo REPO` with standard output to /dev/null (their and the floor's wall from the shell's microsecond clock, "
              "the peers' from `time -v`, 10 ms steps). Raw rows: `$BENCH_DIR/work/*/results.tsv`.")
    loads = [float(r["load1_start"]) for w in works for r in w["rows"] if r.get("load1_start")]
    cores = int(v.get("cores", "0") or 0)
    if loads and cores and max(loads) > cores:
        md.append(f"- **Load**: the 1-minute load average at the start of the runs ranged {min(loads):.1f}–{max(loads):.1f} "
                  f"on {cores} cores: other work competed with the runs, so wall times are upper bounds (CPU seconds "
                  "are less affected); tools ran one after another, so compare the load column before reading much into a ratio.")
    md.append("")
    overview(works, md)
    goals(works, md)
    incremental_section(works, md)
    serve_section(works, md)
    search_section(works, md)
    for w in works:
        md.append("")
        md.append(f"## {title(w)}")
        md.append("")
        if w["truth"]:
            s = w["truth"]["stats"]
            md.append(f"History: {s.get('commits', 0):,} commits ({s.get('merge_commits', 0)} merges), "
                      f"{s.get('pages_renamed', 0)} renames/moves, {s.get('reformat_commits', 0)} bulk reformats, "
                      f"{s.get('pages_deleted', 0)} deletions.")
            md.append("")
        timing_table(w, md)
        floor_line(w, md)
        correctness_table(w, md)
        b12_section(w, md)
    md.append("")
    with open(a.out, "w", encoding="utf-8") as fh:
        fh.write("\n".join(md))


if __name__ == "__main__":
    main()
