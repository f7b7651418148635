# bench/serve_load.sh — sourced by bench/run.sh: the preview server under load (issue 8).
#
# serve_load WORK NAME REPO: `sopsite serve` on the repository (in memory, at the bench's niceness), then
#   1. `wrk -t2 -c32 -d${BENCH_WRK_SECONDS}s --latency` on one SOP page over loopback: requests/s, latency, errors;
#   2. three edits of that SOP's file, each timed from the save to the page showing it (the server polls the files,
#      rebuilds in memory and serves the new page; the browser's reload event follows the same rebuild).
# Writes WORK/serve-load.txt (key value lines) for bench/report.py; the server's log is WORK/logs/serve.log.
serve_load() {
  local work=$1 name=$2 repo=$3 out="$1/serve-load.txt" port=$((18000 + RANDOM % 1000))
  local sop; sop=$(git -C "$repo" ls-files -- 'content/*.md' | grep -v '_process.md' | sort | sed -n 9p)
  local url; url=$(python3 - "$work/site-sopsite/api/pages.json" "$sop" <<'EOF'
import json, sys
pages = json.load(open(sys.argv[1], encoding="utf-8"))
print(next((p["url"] for p in pages if p.get("source_path") == sys.argv[2]), ""))
EOF
)
  [ -n "$url" ] || { log "serve: no page for $sop in $work/site-sopsite/api/pages.json; skipped"; return; }
  log "== $name / serve (wrk -t2 -c32 -d${BENCH_WRK_SECONDS}s on $url, then save-to-visible for $sop)"
  nice -n "$BENCH_NICE" "$SOPSITE" serve --repo "$repo" --host 127.0.0.1 --port "$port" --now "$BENCH_NOW" \
    > "$work/logs/serve.log" 2>&1 &
  local pid=$! ready=0 i
  for ((i = 0; i < 1200; i++)); do
    if curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$port$url"; then ready=1; break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.25
  done
  if [ "$ready" != 1 ]; then
    log "serve: the server did not answer (see $work/logs/serve.log); skipped"
    kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
    return
  fi
  {
    echo "url $url"
    echo "load1_start $(cut -d' ' -f1 /proc/loadavg)"
  } > "$out"
  nice -n "$BENCH_NICE" wrk -t2 -c32 -d"${BENCH_WRK_SECONDS}s" --latency "http://127.0.0.1:$port$url" > "$work/serve-wrk.txt" 2>&1
  python3 - "$work/serve-wrk.txt" >> "$out" <<'EOF'
import re, sys
text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
def find(pattern, default="0"):
    m = re.search(pattern, text)
    return m.group(1) if m else default
print("requests_per_sec", find(r"Requests/sec:\s*([\d.]+)", "?"))
print("requests", find(r"(\d+) requests in"))
print("non2xx", find(r"Non-2xx or 3xx responses:\s*(\d+)"))
errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
print("socket_errors", sum(int(x) for x in errors.groups()) if errors else 0)
for p in ("50", "99"):
    m = re.search(r"^\s+%s%%\s+([\d.]+)(us|ms|s)\s*$" % p, text, re.M)
    if m:
        value = float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]
        print(f"latency_p{p}_ms {value:.3f}")
EOF
  local k start end seen visible=""
  for k in 1 2 3; do
    printf '\nServe bench edit %s: marker %s.\n' "$k" "zq$k$RANDOM" >> "$repo/$sop"
    local marker; marker=$(tail -1 "$repo/$sop" | sed 's/.*marker \(zq[0-9]*\)\./\1/')
    start=$(date +%s.%N); seen=0
    for ((i = 0; i < 2400; i++)); do
      if curl -s --max-time 5 "http://127.0.0.1:$port$url" | grep -q "$marker"; then seen=1; break; fi
      sleep 0.05
    done
    end=$(date +%s.%N)
    if [ "$seen" = 1 ]; then visible="$visible $(python3 -c "print(f'{$end - $start:.2f}')")"; else visible="$visible timeout"; fi
    sleep 1
  done
  echo "save_to_visible_s$visible" >> "$out"
  git -C "$repo" checkout -q -- "$sop"
  kill -INT "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  # The server's own rebuild times ("… changed. Built … (N s)").
  echo "rebuild_s $(grep -o 'changed\. Built .*(\([0-9.]*\) s)' "$work/logs/serve.log" | sed 's/.*(\([0-9.]*\) s)$/\1/' | tr '\n' ' ')" >> "$out"
}
