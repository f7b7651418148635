#!/usr/bin/env python3
"""Compares sopsite's api/pages.json with `git log --follow` on the same repository.

Usage: compare_git_log.py SITE_DIR REPO_DIR [N]
Checks every page (or the N with the most commits, then by id) and prints a Markdown table of
revision / created / last change as sopsite and git report them; exits 1 on any disagreement.
git's --follow treats copies as renames; sopsite deliberately does not (see README), so a page that git
says was copied is reported separately rather than as a disagreement.
"""
import json
import subprocess
import sys


def git_log(repo, path):
    """git log --follow for path, newest first, as [(id, author after .mailmap (%aN, as sopsite shows it), date, copied)] where copied says the commit
    made the file as a copy (status C) of a file that still exists."""
    out = subprocess.run(["git", "-C", repo, "log", "--follow", "--format=@%H%x09%aN%x09%aI", "--name-status", "--", path],
                         capture_output=True, text=True, check=True).stdout
    commits = []
    for line in out.splitlines():
        if line.startswith("@"):
            commits.append(line[1:].split("\t") + [False])
        elif line.startswith("C") and commits:
            commits[-1][3] = True
    return commits


def is_merge(repo, commit):
    parents = subprocess.run(["git", "-C", repo, "rev-list", "--parents", "-n", "1", commit], capture_output=True, text=True).stdout.split()
    return len(parents) > 2


def without_copies(log):
    """The same list cut at the newest copy: sopsite counts a copy as the page's creation (README)."""
    for index, commit in enumerate(log):
        if commit[3]:
            return log[: index + 1]
    return log


def main():
    site, repo = sys.argv[1], sys.argv[2]
    limit = int(sys.argv[3]) if len(sys.argv) > 3 else None
    pages = json.load(open(site + "/api/pages.json", encoding="utf-8"))
    pages = [p for p in pages if p["commits"] > 0]
    if limit:
        pages = sorted(pages, key=lambda p: (-p["commits"], p["id"]))[:limit]
    rows, disagreements, copied, merges = [], 0, 0, 0
    for p in pages:
        full = git_log(repo, p["source_path"])
        log = without_copies(full)
        copied += 1 if len(log) != len(full) else 0
        ours = (p["commits"], p["created"]["date"], p["created"]["author"], p["last_change"]["date"], p["last_change"]["author"])
        theirs = (len(log), log[-1][2], log[-1][1], log[0][2], log[0][1]) if log else (0, "", "", "", "")
        whole = (len(full), full[-1][2], full[-1][1], full[0][2], full[0][1]) if full else theirs
        # Where the copy's source was itself renamed from this path, both readings give the same list.
        same = ours in (theirs, whole)
        if not same:
            # A merge that changed the page relative to every parent: `git log -- PATH` lists it, `--follow` does not;
            # sopsite lists it (README). Compare without such merges.
            listed = {entry["commit"] for entry in p.get("history", [])}
            extra = listed - {c[0] for c in full}
            if extra and all(is_merge(repo, c) for c in extra) and p["commits"] - len(extra) in (len(log), len(full)):
                same = True
                merges += 1
        disagreements += 0 if same else 1
        rows.append((p["source_path"], ours, theirs, same))
    print("| page | revision (sopsite / git) | created (sopsite / git) | last change (sopsite / git) | agree |")
    print("|---|---|---|---|---|")
    for path, o, t, same in rows[: (limit or 5)]:
        print(f"| `{path}` | {o[0]} / {t[0]} | {o[1]} {o[2]} / {t[1]} {t[2]} | {o[3]} {o[4]} / {t[3]} {t[4]} | {'yes' if same else 'NO'} |")
    print(f"\n{len(rows) - disagreements}/{len(rows)} pages agree with git log --follow "
          f"({copied} of them made as copies, where git follows the copy's source and sopsite starts a new history; "
          f"{merges} with a merge that changed the page relative to every parent, which sopsite lists and --follow omits)")
    for path, o, t, same in rows:
        if not same:
            print("DISAGREE", path, "sopsite", o, "git", t)
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main())
