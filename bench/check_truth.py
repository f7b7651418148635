#!/usr/bin/env python3
"""Compares sopsite's api/pages.json with the truth file of make_sop_repo.py.

Usage: check_truth.py SITE_DIR TRUTH_JSON   → prints agreement counts per fact; exits 1 on any disagreement.
Facts: commits (git log --follow count), last change (author, author date), created (author date, first author),
last content change (newest commit that changed the file's bytes: not a pure rename), and, reported separately,
last revision against the generator's last_edit (they differ by definition where the newest edit touched only the
front matter: a revision for the generator, a metadata change for sopsite).
"""
import json
import sys


def main():
    site, truth_path = sys.argv[1], sys.argv[2]
    pages = {p["source_path"]: p for p in json.load(open(site + "/api/pages.json", encoding="utf-8"))}
    truth = json.load(open(truth_path, encoding="utf-8"))["files"]
    facts = {"present": 0, "commits": 0, "last_author": 0, "last_date": 0, "created_date": 0, "created_author": 0,
             "last_content": 0}
    revision_agrees = 0
    wrong = []
    for path, t in sorted(truth.items()):
        p = pages.get(path)
        if not p:
            wrong.append((path, "missing"))
            continue
        facts["present"] += 1
        checks = {
            "commits": (p["commits"], t["commits"]),
            "last_author": (p["last_change"]["author"], t["last_author"]),
            "last_date": (p["last_change"]["date"], t["last_author_date"]),
            "created_date": (p["created"]["date"], t["first_commit_date"]),
            "created_author": (p["created"]["author"], t["first_author"]),
            "last_content": (next((h["date"] for h in p.get("history", []) if h["kind"] not in ("unchanged", "deleted")), None),
                             t["last_content_date"]),
        }
        if p.get("last_revision") and p["last_revision"]["date"] == t.get("last_edit_date"):
            revision_agrees += 1
        for name, (got, want) in checks.items():
            if got == want:
                facts[name] += 1
            else:
                wrong.append((path, f"{name}: sopsite {got!r}, truth {want!r}"))
    total = len(truth)
    for name, count in facts.items():
        print(f"{name:15} {count}/{total}")
    print(f"{'last_revision':15} {revision_agrees}/{total} equal to the generator's last_edit (informational)")
    for path, what in wrong[:20]:
        print("DISAGREE", path, what)
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
