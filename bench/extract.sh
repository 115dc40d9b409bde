#!/usr/bin/env bash
# Times the numeral reader on a 1 MB text: `econtrack extract` of a file made of the seed
# article (data/documents/bw-1896.txt) and the two extract fixtures, repeated to 1 MiB.
#
#   bench/extract.sh            (also run at the end of bench/run.sh)
#
# BYTES sets another size (for trying the script). Prints the median wall time of RUNS runs (default 3), the throughput, the numbers found
# and the peak resident memory. Not a test: the time depends on the machine.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
WORK=${BENCH_WORK:-bench/work}
command -v /usr/bin/time >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
cargo build --release --quiet --bin econtrack
ECON=target/release/econtrack
mkdir -p "$WORK"

text="$WORK/extract-1MiB.txt"
: > "$text"
while [ "$(stat -c %s "$text")" -lt "${BYTES:-1048576}" ]; do
    cat data/documents/bw-1896.txt tests/fixtures/extract/en-budget.txt tests/fixtures/extract/zh-targets.txt >> "$text"
done
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
    printf "extract: %.2f MB text, %d numbers, %.3f s (%.1f MB/s), peak RSS %.1f MB (median of %d runs)\n",
        b / 1e6, f, s, (s > 0 ? b / 1e6 / s : 0), r / 1024, n
}'
