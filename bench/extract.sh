#!/usr/bin/env bash
# Times `econtrack extract` on generated multi-megabyte texts: the seed article
# (data/documents/bw-1896.txt) and the two extract fixtures, repeated to 2.5 MB and to 10 MB.
#
#   bench/extract.sh            (also run at the end of bench/run.sh)
#
# SIZES sets other sizes in bytes (for trying the script). For each it prints the median
# wall time of RUNS runs (default 3), the throughput, the figures offered and the peak
# resident memory, and for the last the growth of time and memory against the first: linear
# work gives a time ratio near the size ratio, and the reader's memory (a segment at a time)
# grows only with the text itself. Not a test: the time depends on the machine; the test
# of linearity is `the_work_grows_linearly_with_the_text` (operation counts).
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
WORK=${BENCH_WORK:-bench/work}
command -v /usr/bin/time >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
cargo build --release --quiet --bin econtrack
ECON=target/release/econtrack
mkdir -p "$WORK"

read -r -a sizes <<< "${SIZES:-${BYTES:-2500000 10000000}}"
first_seconds='' first_bytes='' first_rss=''
for size in "${sizes[@]}"; do
    text="$WORK/extract-$size.txt"
    if [ ! -f "$text" ] || [ "$(stat -c %s "$text")" -lt "$size" ]; then
        : > "$text"
        while [ "$(stat -c %s "$text")" -lt "$size" ]; do
            cat data/documents/bw-1896.txt tests/fixtures/extract/en-budget.txt tests/fixtures/extract/zh-targets.txt >> "$text"
        done
    fi
    bytes=$(stat -c %s "$text")
    found=$("$ECON" extract "$text" --format csv 2>/dev/null | tail -n +2 | wc -l)

    : > "$WORK/extract.times"
    for _ in $(seq "$RUNS"); do
        /usr/bin/time -f "%e %M" -o "$WORK/.time" "$ECON" extract "$text" --format csv >/dev/null 2>&1
        cat "$WORK/.time" >> "$WORK/extract.times"
    done
    seconds=$(awk '{print $1}' "$WORK/extract.times" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}')
    rss=$(awk '{print $2}' "$WORK/extract.times" | sort -n | tail -1)
    awk -v b="$bytes" -v s="$seconds" -v f="$found" -v r="$rss" -v n="$RUNS" 'BEGIN {
        printf "extract: %.2f MB text, %d figures offered, %.3f s (%.1f MB/s), peak RSS %.1f MB (median of %d runs)\n",
            b / 1e6, f, s, (s > 0 ? b / 1e6 / s : 0), r / 1024, n
    }'
    if [ -z "$first_seconds" ]; then
        first_seconds=$seconds first_bytes=$bytes first_rss=$rss
    else
        awk -v b="$bytes" -v s="$seconds" -v r="$rss" -v b0="$first_bytes" -v s0="$first_seconds" -v r0="$first_rss" 'BEGIN {
            printf "extract: %.1fx the text took %.1fx the time and %.1fx the peak memory\n", b / b0, (s0 > 0 ? s / s0 : 0), r / r0
        }'
    fi
done
