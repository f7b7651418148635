#!/usr/bin/env bash
# Builds the libFuzzer targets of Fuzz/ and runs each for a given time: `make fuzz` (README, "Fuzzing").
#   Fuzz/run.sh SECONDS [TARGET ...]        TARGET: document, site, config (default: all three)
# Environment: FUZZ_SCRATCH (build folder, default .build-fuzz), FUZZ_SANITIZE (default fuzzer; fuzzer,address adds
# AddressSanitizer: about half the speed, use its own FUZZ_SCRATCH), FUZZ_JOBS (parallel fuzzing processes per target;
# unset: one, in the foreground), FUZZ_FLAGS (extra libFuzzer flags), SWIFT.
# New corpus entries go to $FUZZ_SCRATCH/corpus/TARGET (Fuzz/Corpus/TARGET holds the committed seeds and is only read);
# a crash, hang or memory blow-up is written to $FUZZ_SCRATCH/artifacts/TARGET/ and the script exits 1.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:?usage: Fuzz/run.sh SECONDS [TARGET ...]}
shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(document site config)
scratch=${FUZZ_SCRATCH:-.build-fuzz}
swift=${SWIFT:-swift}

# -sanitize=fuzzer instruments the Swift code (sopsite, Yams, swift-mustache) and links libFuzzer's runtime;
# -fsanitize=fuzzer-no-link instruments the C code built from source (Yams' libyaml). cmark-gfm and libgit2 are
# Debian's prebuilt libraries: they run, uninstrumented.
# lld: gold fails on these objects ("internal error in format_file_lineno").
flags=(--package-path Fuzz -c release --scratch-path "$scratch"
       -Xswiftc -sanitize="${FUZZ_SANITIZE:-fuzzer}" -Xcc -fsanitize=fuzzer-no-link -Xswiftc -use-ld=lld)
case ${FUZZ_SANITIZE:-} in *address*) flags+=(-Xcc -fsanitize=address) ;; esac
$swift build "${flags[@]}"
bin=$($swift build "${flags[@]}" --show-bin-path)

status=0
for target in "${targets[@]}"; do
    corpus="$scratch/corpus/$target"
    seeds="Fuzz/Corpus/$target"
    [ "$target" = site ] && seeds=Fuzz/Corpus/document   # the same input as fuzz-document's
    artifacts="$scratch/artifacts/$target"
    mkdir -p "$corpus" "$artifacts"
    echo "== fuzz-$target for ${seconds}s (corpus $corpus, seeds $seeds, artifacts $artifacts)"
    # Swift's own crash backtracer would exit before libFuzzer writes the crashing input: turn it off.
    # -timeout: one input taking 10 s is a hang; -rss_limit_mb: 2 GiB is a blow-up (the 20 MB file case needs far less).
    # shellcheck disable=SC2086
    if ! SWIFT_BACKTRACE=enable=no "$bin/fuzz-$target" "$corpus" "$seeds" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
        -artifact_prefix="$artifacts/" ${FUZZ_JOBS:+-jobs=$FUZZ_JOBS -workers=$FUZZ_JOBS} ${FUZZ_FLAGS:-}; then
        echo "fuzz-$target found a problem: the input is in $artifacts/ (replay: $bin/fuzz-$target FILE)"
        status=1
    fi
done
exit $status
