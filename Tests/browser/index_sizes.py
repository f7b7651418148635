#!/usr/bin/env python3
"""Sizes of a built site's search index: files, raw bytes and gzip -9 bytes, per kind of file and in total.

Usage: python3 Tests/browser/index_sizes.py SITE [--json]
(SITE is a `sopsite build` output folder; the index is SITE/search/*.js, README "Search index format".)
"""
import collections
import glob
import gzip
import json
import os
import sys


def sizes(site):
    kinds = collections.OrderedDict()
    for path in sorted(glob.glob(os.path.join(site, "search", "*.js"))):
        kind = os.path.basename(path)[:-3].split("-")[0]
        with open(path, "rb") as f:
            data = f.read()
        entry = kinds.setdefault(kind, {"files": 0, "raw": 0, "gzip": 0})
        entry["files"] += 1
        entry["raw"] += len(data)
        entry["gzip"] += len(gzip.compress(data, 9, mtime=0))
    kinds["total"] = {key: sum(k[key] for k in list(kinds.values())) for key in ("files", "raw", "gzip")}
    return kinds


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    result = sizes(sys.argv[1])
    if "--json" in sys.argv:
        print(json.dumps(result, indent=1))
        return
    print("%-10s %7s %12s %12s" % ("kind", "files", "raw bytes", "gzip bytes"))
    for kind, entry in result.items():
        print("%-10s %7d %12d %12d" % (kind, entry["files"], entry["raw"], entry["gzip"]))


if __name__ == "__main__":
    main()
