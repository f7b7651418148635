#!/usr/bin/env bash
# bench/run.sh — `make bench`: sopsite against MkDocs, Hugo and Pagefind, side by side on this machine, plus the
# `git log` floor, sopsite's history pass alone (`sopsite log`) and the B12 field case; checks every tool's dates against the generator's truth and writes
# bench/results.md. Never part of `make test`.
#
# Environment knobs (defaults in brackets):
#   BENCH_DIR      scratch folder outside the repository: repositories, venv, built sites, logs [/tmp/sopsite-bench]
#   BENCH_SIZES    space-separated PAGES:COMMITS pairs ["300:1500 2000:10000"]
#   BENCH_RUNS     timed runs per tool after one warm-up run [3]
#   BENCH_LONG     a tool whose warm-up run took more than this many seconds is measured by that one run [120]
#   BENCH_TIMEOUT  per-run limit in seconds; a run over it is killed and recorded as exceeded [2400]
#   BENCH_PEERS    peer configs of ../shared/bench/run_peers.sh, in order
#                  ["hugo-nogit hugo-git pagefind mkdocs-plain mkdocs-git"]
#   BENCH_SKIP_SLOW=1  drop mkdocs-git (MkDocs with the git plugins: ~13 min per run at 2,000 SOPs) [0]
#   BENCH_B12      1 = also run the field case ../shared/cases/B12.sh (sopsite, its history pass and the floor only) [1]
#   BENCH_NICE     niceness of every measured process (the machine has 2 cores and is shared) [10]
#   BENCH_SOPSITE  a prebuilt sopsite binary to measure instead of building .build-bench/release/sopsite
#   BENCH_SHARED   the folder with make_sop_repo.py, run_peers.sh, verify_dates.py [../shared/bench]
#   BENCH_CASES    the folder with B12.sh and its README [../shared/cases]
#   BENCH_OUT      the report to write [bench/results.md]
#   BENCH_NOW      --now passed to sopsite [2026-11-30]
#   BENCH_SEARCH   1 = also run bench/search_bench.py (sopsite's search index vs Pagefind's in headless Chromium) [1]
#   BENCH_SERVE    1 = also load the preview server: wrk on one SOP page, then save-to-visible times (bench/serve_load.sh) [1]
#   BENCH_WRK_SECONDS  how long wrk runs [30]
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_NICE=${BENCH_NICE:-10}
# Everything measured runs under the same niceness (peers and sopsite alike), so ratios stay fair.
if [ "$(nice)" -lt "$BENCH_NICE" ] && [ -z "${BENCH_RENICED:-}" ]; then
  BENCH_RENICED=1 exec nice -n "$((BENCH_NICE - $(nice)))" env BENCH_RENICED=1 bash "$0" "$@"
fi

BENCH_DIR=${BENCH_DIR:-/tmp/sopsite-bench}
BENCH_SIZES=${BENCH_SIZES:-"300:1500 2000:10000"}
BENCH_RUNS=${BENCH_RUNS:-3}
BENCH_LONG=${BENCH_LONG:-120}
BENCH_TIMEOUT=${BENCH_TIMEOUT:-2400}
BENCH_PEERS=${BENCH_PEERS:-"hugo-nogit hugo-git pagefind mkdocs-plain mkdocs-git"}
BENCH_B12=${BENCH_B12:-1}
BENCH_SHARED=$(realpath -m "${BENCH_SHARED:-$ROOT/../shared/bench}")
BENCH_CASES=$(realpath -m "${BENCH_CASES:-$ROOT/../shared/cases}")
BENCH_OUT=${BENCH_OUT:-$ROOT/bench/results.md}
BENCH_NOW=${BENCH_NOW:-2026-11-30}
BENCH_SEARCH=${BENCH_SEARCH:-1}
BENCH_SERVE=${BENCH_SERVE:-1}
BENCH_WRK_SECONDS=${BENCH_WRK_SECONDS:-30}
if [ "${BENCH_SKIP_SLOW:-0}" = 1 ]; then BENCH_PEERS=$(echo " $BENCH_PEERS " | sed 's/ mkdocs-git / /g'); fi
VENV=$BENCH_DIR/venv
PIP_PACKAGES=${BENCH_PIP_PACKAGES:-"mkdocs==1.6.1 mkdocs-material==9.8.2 mkdocs-git-revision-date-localized-plugin==1.6.3 mkdocs-git-authors-plugin==0.10.0 pagefind_bin==1.5.2"}

log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }
# shellcheck source=bench/serve_load.sh
. "$ROOT/bench/serve_load.sh"
[ -f "$BENCH_SHARED/make_sop_repo.py" ] && [ -f "$BENCH_SHARED/run_peers.sh" ] || die "no make_sop_repo.py/run_peers.sh in $BENCH_SHARED (set BENCH_SHARED)"
case "$BENCH_DIR" in "$ROOT"|"$ROOT"/*) die "BENCH_DIR must be outside the repository";; esac
mkdir -p "$BENCH_DIR/repos" "$BENCH_DIR/work"

# ------------------------------------------------------------------ what the bench needs
SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
need_apt=""
command -v hugo >/dev/null 2>&1 || need_apt="$need_apt hugo"
[ -x /usr/bin/time ] || need_apt="$need_apt time"
if [ "$BENCH_SEARCH" = 1 ]; then
  [ -x /usr/bin/chromium ] || need_apt="$need_apt chromium"
  [ -x /usr/bin/chromedriver ] || need_apt="$need_apt chromium-driver"
fi
command -v git >/dev/null 2>&1 || need_apt="$need_apt git"
if [ "$BENCH_SERVE" = 1 ]; then
  command -v wrk >/dev/null 2>&1 || need_apt="$need_apt wrk"
  command -v curl >/dev/null 2>&1 || need_apt="$need_apt curl"
fi
command -v python3 >/dev/null 2>&1 || need_apt="$need_apt python3"
python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || need_apt="$need_apt python3-venv"
if [ -n "$need_apt" ]; then
  log "apt-get install$need_apt"
  $SUDO apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q $need_apt >/dev/null
fi
if ! "$VENV/bin/python" -m pip show mkdocs mkdocs-material mkdocs-git-revision-date-localized-plugin \
      mkdocs-git-authors-plugin pagefind_bin >/dev/null 2>&1; then
  log "creating $VENV with$(printf ' %s' $PIP_PACKAGES)"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q $PIP_PACKAGES
fi
# the search benchmark drives Chromium with Selenium: the repository's .venv when it has it, else the bench venv
SEARCH_PY=$ROOT/.venv/bin/python
if [ "$BENCH_SEARCH" = 1 ] && ! "$SEARCH_PY" -c 'import selenium' >/dev/null 2>&1; then
  SEARCH_PY=$VENV/bin/python
  "$SEARCH_PY" -c 'import selenium' >/dev/null 2>&1 || { log "installing selenium in $VENV"; "$SEARCH_PY" -m pip install -q selenium; }
fi
PAGEFIND=$("$VENV/bin/python" -c 'import os, pagefind_bin; print(os.path.join(os.path.dirname(pagefind_bin.__file__), "pagefind"))')
[ -x "$PAGEFIND" ] || die "pagefind binary not found in the pagefind_bin wheel ($PAGEFIND)"

if [ -n "${BENCH_SOPSITE:-}" ]; then
  SOPSITE=$(realpath "$BENCH_SOPSITE")
else
  log "building the release sopsite (swift build -c release --scratch-path .build-bench)"
  ok=0
  for attempt in 1 2 3; do   # a source file edited during the build makes swift build fail: try again
    if (cd "$ROOT" && swift build -c release --product sopsite --scratch-path .build-bench) > "$BENCH_DIR/swift-build.log" 2>&1; then
      ok=1; break
    fi
    log "swift build failed (attempt $attempt, see $BENCH_DIR/swift-build.log)"; sleep 20
  done
  [ "$ok" = 1 ] || die "could not build sopsite: $(tail -5 "$BENCH_DIR/swift-build.log")"
  SOPSITE=$ROOT/.build-bench/release/sopsite
fi

# ------------------------------------------------------------------ versions and machine
{
  echo "date_utc: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "cores: $(nproc)"
  echo "memory: $(free -g | awk '/Mem:/{print $2}') GiB"
  echo "os: $( . /etc/os-release 2>/dev/null; echo "${PRETTY_NAME:-?}"), $(uname -sr)"
  if [ -n "${BENCH_SOPSITE:-}" ]; then
    echo "sopsite: prebuilt $SOPSITE (repository at $(git -C "$ROOT" rev-parse --short=10 HEAD 2>/dev/null || echo '?'))"
  else
    echo "sopsite: $(git -C "$ROOT" rev-parse --short=10 HEAD 2>/dev/null || echo '?')$( [ -n "$(git -C "$ROOT" status --porcelain -- Sources Package.swift Package.resolved 2>/dev/null)" ] && echo ' + uncommitted changes in Sources/')"
  fi
  echo "swift: $(swift --version 2>&1 | grep -m1 -o 'Swift version [^ ]*' || echo '?')"
  echo "git: $(git --version | sed 's/git version //')"
  echo "hugo: $(hugo version 2>&1 | awk '{print $2}')"
  echo "pagefind: $("$PAGEFIND" --version 2>&1 | awk '{print $NF}')"
  echo "python: $("$VENV/bin/python" --version 2>&1 | awk '{print $2}')"
  "$VENV/bin/python" -m pip list --format=freeze 2>/dev/null \
    | grep -iE '^(mkdocs|mkdocs-material|mkdocs-git-revision-date-localized-plugin|mkdocs-git-authors-plugin)==' | sed 's/==/: /'
  echo "nice: $(nice)"
  echo "runs: $BENCH_RUNS timed after 1 warm-up; over ${BENCH_LONG}s: the warm-up run alone"
  echo "peers: $BENCH_PEERS"
} > "$BENCH_DIR/work/versions.txt"

# ------------------------------------------------------------------ timing (same rows as run_peers.sh)
HEADER=$'repo\tconfig\trun\tkind\twall_s\tmaxrss_kb\texit\tnote\tuser_s\tsys_s\tload1_start'
field() { grep -F "$2" "$1" | head -1 | sed 's/.*: //'; }

# measure WORK NAME CONFIG LABEL KIND CLEAN_DIR -- command...   appends one row to WORK/results.tsv
measure() {
  local work=$1 name=$2 cfg=$3 label=$4 kind=$5 clean=$6; shift 7
  local tfile="$work/logs/$cfg.$label.time" lfile="$work/logs/$cfg.$label.log"
  [ -n "$clean" ] && rm -rf "$clean"
  sync
  local load1; load1=$(cut -d' ' -f1 /proc/loadavg)
  local rc=0 t0 t1
  t0=$EPOCHREALTIME
  /usr/bin/time -v -o "$tfile" timeout -k 10 "$BENCH_TIMEOUT" "$@" > "$lfile" 2>&1 || rc=$?
  t1=$EPOCHREALTIME
  local wall rss usr sys note=""
  # wall from the shell's microsecond clock (time -v rounds to 10 ms, too coarse for the floor at 300 SOPs)
  wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
  rss=$(field "$tfile" 'Maximum resident set size'); usr=$(field "$tfile" 'User time (seconds)'); sys=$(field "$tfile" 'System time (seconds)')
  if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then note="exceeded ${BENCH_TIMEOUT}s (killed)"; fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$cfg" "$label" "$kind" "$wall" "$rss" "$rc" "$note" "$usr" "$sys" "$load1" >> "$work/results.tsv"
  log "  $cfg $label: ${wall}s wall, ${usr}+${sys} CPU-s, ${rss} kB, exit $rc $note"
  return 0
}
# series WORK NAME CONFIG CLEAN_DIR -- command...   one warm-up run, then BENCH_RUNS timed runs
series() {
  local work=$1 name=$2 cfg=$3 clean=$4; shift 5
  log "== $name / $cfg"
  measure "$work" "$name" "$cfg" warmup1 warmup "$clean" -- "$@"
  for ((r = 1; r <= BENCH_RUNS; r++)); do measure "$work" "$name" "$cfg" "run$r" timed "$clean" -- "$@"; done
}
sizes_row() {  # WORK NAME CONFIG SITE INDEX
  local sb sf ib="" ifl=""
  sb=$(du -sb --apparent-size "$4" 2>/dev/null | cut -f1) || sb=""
  sf=$(find "$4" -type f 2>/dev/null | wc -l) || sf=""
  if [ -e "$5" ]; then ib=$(du -sb --apparent-size "$5" | cut -f1) || ib=""; ifl=$(find "$5" -type f | wc -l) || ifl=""; fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$2" "$3" "${sb:-}" "$sf" "$ib" "$ifl" "$5" >> "$1/sizes.tsv"
}
floor() {  # WORK NAME REPO: one rename-detecting git log walk over the whole history, output discarded
  series "$1" "$2" floor-raw "" -- git -C "$3" log -M --raw --no-abbrev --output=/dev/null
  series "$1" "$2" floor-name-status "" -- git -C "$3" log -M --name-status --output=/dev/null
}
# history_pass WORK NAME REPO [sopsite options]: sopsite's history pass alone, timed like the floor beside it: the
# whole process of `sopsite log --no-cache` (every SOP's history), output discarded (exec: no shell in the timed tree)
history_pass() {
  local work=$1 name=$2 repo=$3; shift 3
  series "$work" "$name" sopsite-log "" -- bash -c 'exec "$@" > /dev/null' sopsite-log "$SOPSITE" log --no-cache --repo "$repo" "$@"
}
# incremental WORK NAME REPO: issue 8's rows. A build that fills a fresh cache, then BENCH_RUNS rebuilds with nothing
# changed, then BENCH_RUNS rebuilds each after a new edit of one SOP's text in the working tree (the edit is undone
# after). The site and cache live in WORK, never in the repository.
incremental() {
  local work=$1 name=$2 repo=$3 site="$1/site-incremental" cache="$1/cache-incremental"
  local sop; sop=$(git -C "$repo" ls-files -- 'content/*.md' | grep -v '_process.md' | sort | sed -n 7p)
  rm -rf "$site" "$cache"
  log "== $name / incremental (--cache; one-SOP edits of $sop)"
  measure "$work" "$name" sopsite-cache-fill run1 timed "" -- "$SOPSITE" build --cache "$cache" --repo "$repo" --out "$site" --now "$BENCH_NOW"
  # The second build keeps the first site in the cache as the spare (SpareSite); from the third on, rebuilds update
  # the spare in place and swap it in, which is the steady state of a writer's rebuilds: this one is not timed.
  "$SOPSITE" build --cache "$cache" --repo "$repo" --out "$site" --now "$BENCH_NOW" > /dev/null 2>&1
  for ((r = 1; r <= BENCH_RUNS; r++)); do
    measure "$work" "$name" sopsite-nochange "run$r" timed "" -- "$SOPSITE" build --cache "$cache" --repo "$repo" --out "$site" --now "$BENCH_NOW"
  done
  for ((r = 1; r <= BENCH_RUNS; r++)); do
    printf '\nBench edit %s: check the result once more.\n' "$r" >> "$repo/$sop"
    measure "$work" "$name" sopsite-one-sop "run$r" timed "" -- "$SOPSITE" build --cache "$cache" --repo "$repo" --out "$site" --now "$BENCH_NOW"
  done
  git -C "$repo" checkout -q -- "$sop"
  rm -rf "$site" "$cache"
}
new_work() {  # WORK: fresh results of this run (repositories and the venv are kept)
  rm -rf "$1"; mkdir -p "$1/logs"
  echo "$HEADER" > "$1/results.tsv"
  printf 'repo\tconfig\tsite_bytes\tsite_files\tindex_bytes\tindex_files\tindex_path\n' > "$1/sizes.tsv"
}

# ------------------------------------------------------------------ generated knowledge bases
WORKS=()
for size in $BENCH_SIZES; do
  pages=${size%%:*}; commits=${size##*:}
  name="sop-$pages-$commits"
  repo="$BENCH_DIR/repos/$name"; truth="$BENCH_DIR/repos/$name.truth.json"
  if [ -f "$truth" ] && [ -d "$repo/.git" ] \
     && [ "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["head"])' "$truth")" = "$(git -C "$repo" rev-parse HEAD 2>/dev/null)" ]; then
    log "reusing $repo (deterministic generator, same HEAD as its truth file)"
  else
    log "generating $repo ($pages SOPs, $commits commits)"
    python3 "$BENCH_SHARED/make_sop_repo.py" --pages "$pages" --commits "$commits" --seed 1 --out "$repo" --truth "$truth" --force \
      > "$BENCH_DIR/repos/$name.gen.log"
  fi
  git -C "$repo" status --porcelain --untracked-files=no | grep -q . && git -C "$repo" reset -q --hard
  work="$BENCH_DIR/work/$name"; new_work "$work"; WORKS+=("$work")
  cp "$truth" "$work/truth.json"

  site="$work/site-sopsite"
  # Full builds from nothing: --no-cache, so no run reuses what an earlier one learned.
  # Like for like with the peers, which publish one page per SOP: the same build without the earlier revisions' pages.
  # It runs first: each run deletes the last run's site before it starts, and on ext4 without a journal the inodes of
  # a site deleted moments before are skipped one by one when new files are made (`recently_deleted`, for up to 5 min
  # while their inode-table blocks are being written). Run after the full builds, which delete 29,000 entries each,
  # it paid for theirs (1.4-2.4 s of system time against 0.3 s); run first, it pays for its own, as each peer does.
  series "$work" "$name" sopsite-norev "$site-norev" -- "$SOPSITE" build --no-cache --no-revision-pages --repo "$repo" --out "$site-norev" --now "$BENCH_NOW"
  sizes_row "$work" "$name" sopsite-norev "$site-norev" "$site-norev/search"
  series "$work" "$name" sopsite "$site" -- "$SOPSITE" build --no-cache --verbose --repo "$repo" --out "$site" --now "$BENCH_NOW"
  sizes_row "$work" "$name" sopsite "$site" "$site/search"
  incremental "$work" "$name" "$repo"
  if [ "$BENCH_SERVE" = 1 ]; then serve_load "$work" "$name" "$repo"; fi
  floor "$work" "$name" "$repo"
  history_pass "$work" "$name" "$repo"

  log "peers: $BENCH_PEERS"
  VENV="$VENV" PAGEFIND="$PAGEFIND" HUGO=hugo RUNS="$BENCH_RUNS" WARMUP=1 LONG="$BENCH_LONG" TIMEOUT="$BENCH_TIMEOUT" \
    CONFIGS="$BENCH_PEERS" bash "$BENCH_SHARED/run_peers.sh" "$repo" "$work" 2> "$work/logs/run_peers.log" || log "run_peers.sh exited $?"
  grep -E '^  ' "$work/logs/run_peers.log" >&2 || true

  if [ "$BENCH_SEARCH" = 1 ]; then   # after the peers: Pagefind's index of the same pages is in site-hugo-git/pagefind
    log "search: sopsite vs Pagefind in headless Chromium (bench/search_bench.py, 50 queries)"
    "$SEARCH_PY" "$ROOT/bench/search_bench.py" --name "$name" --site "$site" --pagefind-site "$work/site-hugo-git" \
      --out "$work/search.json" > "$work/search.txt" 2> "$work/logs/search_bench.log" || log "search_bench.py exited $?"
    cat "$work/search.txt" >&2 || true
  fi

  log "correctness against $truth"
  python3 "$ROOT/bench/correctness.py" --truth "$truth" --verify-dates "$BENCH_SHARED/verify_dates.py" \
    --sopsite "$site" --mkdocs "$work/site-mkdocs-git" --hugo "$work/site-hugo-git" --json "$work/correctness.json" \
    > "$work/correctness.txt" || log "correctness.py exited $?"
  rc=0; python3 "$ROOT/bench/check_truth.py" "$site" "$truth" > "$work/check_truth.txt" 2>&1 || rc=$?
  echo "exit $rc" >> "$work/check_truth.txt"
  rc=0; python3 "$ROOT/bench/compare_git_log.py" "$site" "$repo" 25 > "$work/compare_git_log.txt" 2>&1 || rc=$?
  echo "exit $rc" >> "$work/compare_git_log.txt"
  if [ -f "$BENCH_SHARED/verify_dates.py" ]; then
    python3 "$BENCH_SHARED/verify_dates.py" --truth "$truth" --mkdocs-site "$work/site-mkdocs-git" --hugo-site "$work/site-hugo-git" \
      > "$work/verify_dates.md" 2>&1 || log "verify_dates.py exited $?"
  fi
done

# ------------------------------------------------------------------ field case B12 (sopsite and the floor only)
if [ "$BENCH_B12" = 1 ] && [ -f "$BENCH_CASES/B12.sh" ]; then
  repo="$BENCH_DIR/repos/B12"
  if [ "$(git -C "$repo" rev-list --count HEAD 2>/dev/null || echo 0)" != 6001 ]; then
    log "generating $repo with $BENCH_CASES/B12.sh"
    sh "$BENCH_CASES/B12.sh" "$repo" > "$BENCH_DIR/repos/B12.gen.log" 2>&1
  fi
  work="$BENCH_DIR/work/B12"; new_work "$work"; WORKS+=("$work")
  site="$work/site-sopsite"
  series "$work" B12 sopsite "$site" -- "$SOPSITE" build --no-cache --repo "$repo" --content p --out "$site" --now "$BENCH_NOW"
  sizes_row "$work" B12 sopsite "$site" "$site/search"
  floor "$work" B12 "$repo"
  history_pass "$work" B12 "$repo" --content p
  python3 "$ROOT/bench/correctness.py" --b12 "$site" --json "$work/correctness.json" > "$work/correctness.txt" || log "B12 spot values: exit $?"
fi

# ------------------------------------------------------------------ report
python3 "$ROOT/bench/report.py" --versions "$BENCH_DIR/work/versions.txt" --out "$BENCH_OUT" "${WORKS[@]}"
log "wrote $BENCH_OUT (raw data in $BENCH_DIR/work)"
