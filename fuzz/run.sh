#!/usr/bin/env bash
# Fuzzes every target for SECONDS each (default 60) with cargo-fuzz (libFuzzer):
#   fuzz/run.sh [SECONDS]
# New corpus entries go to fuzz/corpus/TARGET (not committed); a crash is saved under
# fuzz/artifacts/TARGET and stops the run. Fix it, add the input as a regression unit test
# beside the code, and `cargo test` in fuzz/ replays seeds, corpus and artifacts.
#
# libFuzzer needs rustc's -Z sanitizer flags. No nightly toolchain is assumed: on stable,
# RUSTC_BOOTSTRAP=1 lets rustc accept them (harmless on nightly). Where the instrumented
# build still fails, the targets run as a plain replay of the seeds and any saved corpus.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-60}"

if ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
fi
export RUSTC_BOOTSTRAP=1

if ! cargo fuzz build; then
    echo "run.sh: cargo fuzz cannot build here; replaying seeds and corpus without libFuzzer" >&2
    exec cargo test --release
fi
for target in $(cargo fuzz list); do
    mkdir -p "corpus/$target"
    echo "run.sh: fuzzing $target for ${seconds}s"
    cargo fuzz run "$target" "corpus/$target" "seeds/$target" -- \
        -max_total_time="$seconds" -print_final_stats=1
done
