#!/usr/bin/env python3
"""Correctness beside speed: every tool's per-page dates against make_sop_repo.py's truth file.

  correctness.py --truth TRUTH.json [--verify-dates ../shared/bench/verify_dates.py]
                 [--sopsite SITE] [--mkdocs SITE] [--hugo SITE] [--json OUT]
  correctness.py --b12 SITE [--json OUT]        the spot values of field case B12 (../shared/cases/README.md)

Reads only what each tool wrote: sopsite's api/pages.json; MkDocs' (Material + git-revision-date-localized +
git-authors) and Hugo's (run_peers.sh's theme, enableGitInfo) HTML through verify_dates.py's readers, so all tools
are judged by one rule set (verify_dates.py's classify_updated), in UTC epoch seconds:
  last update  exact          = the truth's newest non-merge commit touching the page, renames included
               rename-skipped = the newest commit that was not a rename/move instead
               ws-skipped     = the newest meaningful in-place edit instead (whitespace-only reformat also skipped)
               WRONG / missing
  created      = the commit that created the page at its original path (following renames)
  last author  = that newest commit's author (MkDocs shows contributors only: "contributors include it")
  commits      = the number of commits following renames (sopsite only; no peer shows it)
  last content = the newest commit that changed the page's bytes (sopsite: its history's newest entry that is not
                 a pure rename; a peer: its one date)
  last revision  sopsite's last_revision (peers: their one date) against the generator's last_edit, the newest
                 in-place edit beyond whitespace; informational for sopsite, whose revisions exclude front-matter-only
                 edits and include moves with a body edit (README, "What comes from Git")
Prints a summary and writes the counts as JSON; exit 0 (a wrong date is a result, not a failure) unless the
B12 spot values disagree.
"""
import argparse
import datetime as dt
import importlib.util
import json
import os
import sys

UPDATED_KEYS = ("exact", "rename-skipped", "ws-skipped", "WRONG", "missing")

# ../shared/cases/README.md, B12: (path, commits, created date, created author, last date, last author)
B12_SPOTS = [
    ("p/page-0.md", 3, "2018-01-01T00:00:00+00:00", "Author 0", "2020-09-27T00:00:00+00:00", "Author 0"),
    ("p/page-1.md", 3, None, None, "2020-02-19T20:00:00+00:00", "Author 39"),
    ("p/page-1234.md", 3, None, None, "2020-03-25T08:00:00+00:00", "Author 6"),
    ("p/page-2999.md", 3, None, None, "2019-12-22T04:00:00+00:00", "Author 1"),
]


def classify_updated(got, t):
    # the same rule as verify_dates.py's classify_updated, for when that file is not at hand
    if got is None:
        return "missing"
    if got == t["last_author_epoch"]:
        return "exact"
    if got == t.get("last_nonrename_epoch"):
        return "rename-skipped"
    if got == t.get("last_edit_epoch"):
        return "ws-skipped"
    return "WRONG"


def epoch(iso):
    return int(dt.datetime.fromisoformat(iso).timestamp()) if iso else None


def load_verify_dates(path):
    if not path or not os.path.exists(path):
        return None
    spec = importlib.util.spec_from_file_location("verify_dates", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def empty():
    return {"pages": 0, "found": 0, "updated": {k: 0 for k in UPDATED_KEYS}, "updated_eq_last_edit": 0,
            "created": {"ok": 0, "wrong": 0, "missing": 0}, "last_author": {"ok": 0, "wrong": 0, "missing": 0},
            "commits": {"ok": 0, "wrong": 0, "missing": 0}, "last_content": {"ok": 0, "wrong": 0, "missing": 0},
            "last_revision": {"ok": 0, "wrong": 0, "missing": 0}, "examples": []}


def tally(files, read, classify):
    """read(path, truth) -> {updated, created, last_author, contributors, commits} (None where not shown) or None."""
    out = empty()
    for path, t in sorted(files.items()):
        out["pages"] += 1
        got = read(path, t)
        if got is None:
            for k in ("created", "last_author", "commits"):
                out[k]["missing"] += 1
            out["updated"]["missing"] += 1
            continue
        out["found"] += 1
        kind = classify(got["updated"], t)
        out["updated"][kind] += 1
        out["updated_eq_last_edit"] += got["updated"] is not None and got["updated"] == t.get("last_edit_epoch")
        # a tool with one date shows it as all three; sopsite has a last content change and a last revision of its own
        for key, mine, theirs in (("last_content", "content", "last_content_epoch"),
                                  ("last_revision", "revision", "last_edit_epoch")):
            v = got.get(mine, got["updated"])
            out[key]["missing" if v is None else "ok" if v == t.get(theirs) else "wrong"] += 1
        if got.get("created") is None:
            out["created"]["missing"] += 1
        else:
            out["created"]["ok" if got["created"] == t["first_commit_epoch"] else "wrong"] += 1
        if got.get("last_author") is not None:
            out["last_author"]["ok" if got["last_author"] == t["last_author"] else "wrong"] += 1
        elif got.get("contributors") is not None:
            out["last_author"]["ok" if t["last_author"] in got["contributors"] else "wrong"] += 1
        else:
            out["last_author"]["missing"] += 1
        if got.get("commits") is None:
            out["commits"]["missing"] += 1
        else:
            out["commits"]["ok" if got["commits"] == t["commits"] else "wrong"] += 1
        if kind != "exact" and len(out["examples"]) < 5:
            out["examples"].append({"path": path, "truth_last_kind": t["last_kind"], "got": got["updated"],
                                    "truth": t["last_author_epoch"], "class": kind})
    return out


def sopsite_reader(site):
    pages = {p["source_path"]: p for p in json.load(open(os.path.join(site, "api", "pages.json"), encoding="utf-8"))}

    def read(path, _t):
        p = pages.get(path)
        if p is None:
            return None
        last, first = p.get("last_change") or {}, p.get("created") or {}
        content = next((h.get("date") for h in p.get("history") or [] if h.get("kind") not in ("unchanged", "deleted")), None)
        return {"updated": epoch(last.get("date")), "created": epoch(first.get("date")),
                "last_author": last.get("author"), "commits": p.get("commits"), "content": epoch(content),
                "revision": epoch((p.get("last_revision") or {}).get("date"))}
    return read


def summary_line(name, r):
    u = r["updated"]
    return (f"{name:10} pages {r['found']}/{r['pages']}  updated exact {u['exact']} rename-skipped {u['rename-skipped']} "
            f"ws-skipped {u['ws-skipped']} wrong {u['WRONG']} missing {u['missing']}  "
            f"created ok {r['created']['ok']} wrong {r['created']['wrong']} missing {r['created']['missing']}  "
            f"last author ok {r['last_author']['ok']}  commits ok {r['commits']['ok']}  "
            f"last content ok {r['last_content']['ok']}  last revision = generator's last edit {r['last_revision']['ok']}")


def check_b12(site, out_json):
    pages = {p["source_path"]: p for p in json.load(open(os.path.join(site, "api", "pages.json"), encoding="utf-8"))}
    rows, bad = [], 0
    for path, commits, cdate, cauthor, ldate, lauthor in B12_SPOTS:
        p = pages.get(path)
        want = {"commits": commits, "created.date": cdate, "created.author": cauthor,
                "last_change.date": ldate, "last_change.author": lauthor}
        got = {}
        if p:
            got = {"commits": p["commits"], "created.date": (p["created"] or {}).get("date"),
                   "created.author": (p["created"] or {}).get("author"),
                   "last_change.date": (p["last_change"] or {}).get("date"),
                   "last_change.author": (p["last_change"] or {}).get("author")}
        wrong = [k for k, v in want.items() if v is not None and got.get(k) != v]
        bad += bool(wrong)
        rows.append({"path": path, "want": {k: v for k, v in want.items() if v is not None}, "got": got,
                     "ok": not wrong, "wrong": wrong})
        print(f"{path:16} {'ok' if not wrong else 'WRONG ' + ', '.join(f'{k}: {got.get(k)!r} (want {want[k]!r})' for k in wrong)}")
    result = {"b12": {"pages": len(pages), "spots": rows, "spots_ok": len(rows) - bad, "spots_total": len(rows)}}
    if out_json:
        json.dump(result, open(out_json, "w", encoding="utf-8"), ensure_ascii=False, indent=1)
    return 1 if bad else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--truth")
    ap.add_argument("--verify-dates")
    ap.add_argument("--sopsite")
    ap.add_argument("--mkdocs")
    ap.add_argument("--hugo")
    ap.add_argument("--b12")
    ap.add_argument("--json")
    a = ap.parse_args()
    if a.b12:
        return check_b12(a.b12, a.json)
    files = json.load(open(a.truth, encoding="utf-8"))["files"]
    vd = load_verify_dates(a.verify_dates)
    classify = vd.classify_updated if vd else classify_updated
    result = {"verify_dates": a.verify_dates if vd else None}
    if a.sopsite and os.path.exists(os.path.join(a.sopsite, "api", "pages.json")):
        result["sopsite"] = tally(files, sopsite_reader(a.sopsite), classify)
    if vd and a.mkdocs and os.path.isdir(a.mkdocs):
        def read_mk(path, _t):
            m = vd.read_mkdocs(a.mkdocs, path)
            return None if m is None else {"updated": m["updated"], "created": m["created"],
                                           "contributors": m["contributors"]}
        result["mkdocs-git"] = tally(files, read_mk, classify)
    if vd and a.hugo and os.path.isdir(a.hugo):
        def read_hu(path, _t):
            h = vd.read_hugo(a.hugo, path)
            return None if h is None else {"updated": h["lastmod"], "created": None, "last_author": h["author"] or None}
        result["hugo-git"] = tally(files, read_hu, classify)
    for name in ("sopsite", "mkdocs-git", "hugo-git"):
        if name in result:
            print(summary_line(name, result[name]))
    if a.json:
        json.dump(result, open(a.json, "w", encoding="utf-8"), ensure_ascii=False, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
