#!/usr/bin/env bash
# Measures econtrack against the sqlite3 command-line shell on the same data, in one run.
#
#   bench/run.sh [N ...]        default: 100000 1000000
#
# For each N it generates the synthetic data set (bench/dataset.rs) and reports medians of
# RUNS runs (default 3) of:
#   import  econtrack import (validating, normalised schema) vs sqlite3 .import of the
#           same values.csv into a plain 7-column table (the practical ceiling)
#   gaps    econtrack gaps --format csv vs sqlite3 -csv running the same selection
#           (bench/sql/gaps.sql, the statement econtrack runs) on the same database file
#   export  econtrack export values vs sqlite3 -csv running bench/sql/export.sql
#   score   econtrack score --format csv vs sqlite3 -csv running the two statements its
#           scoring pass reads (bench/sql/score.sql: forecasts with their actuals, targets)
#   report  econtrack report (the HTML page, at most --max-targets 50 targets drawn; no
#           sqlite3 counterpart, so time and memory only)
# plus the peak resident memory of each econtrack command. Ratios are speed ratios:
# import is econtrack rows/s ÷ sqlite3 rows/s (higher is better, goal ≥ 0.5); gaps, export
# and score are econtrack time ÷ sqlite3 time (lower is better, goal ≤ 1.5 for gaps and export).
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(100000 1000000)
WORK=${BENCH_WORK:-bench/work}
AS_OF=2031-12-31

need() { command -v "$1" >/dev/null 2>&1 || { [ -x "$2" ] && return 0; echo "installing $3" >&2; apt-get update -qq && apt-get install -y -qq "$3" >/dev/null; }; }
need sqlite3 /usr/bin/sqlite3 sqlite3
need time /usr/bin/time time

cargo build --release --quiet --bin econtrack --example generate
ECON=target/release/econtrack
GEN=target/release/examples/generate
mkdir -p "$WORK"

# run LABEL CMD...: runs CMD with its output discarded (stderr shown if it fails); appends
# "seconds maxrss_kb" to $WORK/LABEL.
run() {
    local label=$1; shift
    if ! /usr/bin/time -f "%e %M" -o "$WORK/.time" "$@" >/dev/null 2>"$WORK/.stderr"; then
        cat "$WORK/.stderr" >&2
        exit 1
    fi
    cat "$WORK/.time" >> "$WORK/$label"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
col() { awk -v c="$1" '{print $c}' "$WORK/$2"; }

printf '| rows | step | econtrack | sqlite3 | ratio | econtrack peak RSS |\n'
printf '|---:|---|---:|---:|---:|---:|\n'
for n in "${SIZES[@]}"; do
    data="$WORK/data-$n"
    [ -f "$data/values.csv" ] || "$GEN" "$n" "$data" 2>/dev/null
    db="$WORK/econtrack-$n.db"
    raw="$WORK/raw-$n.db"
    rm -f "$WORK"/{import,sqlite-import,gaps,sqlite-gaps,export,sqlite-export,score,sqlite-score,report}-"$n"

    for _ in $(seq "$RUNS"); do
        rm -f "$db" "$db"-wal "$db"-shm "$raw"
        "$ECON" --db "$db" init --empty >/dev/null
        run "import-$n" "$ECON" --db "$db" --quiet import "$data"
        sqlite3 "$raw" "CREATE TABLE v(indicator TEXT, entity TEXT, period TEXT, kind TEXT, value TEXT, source TEXT, published TEXT);"
        run "sqlite-import-$n" sqlite3 "$raw" ".mode csv" ".import --skip 1 $data/values.csv v"
    done
    as_of_int=${AS_OF//-/}
    for _ in $(seq "$RUNS"); do
        run "gaps-$n" "$ECON" --db "$db" gaps --format csv --as-of "$AS_OF"
        run "sqlite-gaps-$n" sqlite3 -csv -header "$db" ".parameter set ?1 $as_of_int" ".parameter set ?2 NULL" \
            ".parameter set ?3 NULL" ".parameter set ?4 NULL" ".read bench/sql/gaps.sql"
        run "export-$n" "$ECON" --db "$db" --quiet export values
        run "sqlite-export-$n" sqlite3 -csv -header "$db" ".parameter set ?1 NULL" ".parameter set ?2 NULL" \
            ".parameter set ?3 NULL" ".parameter set ?4 NULL" ".parameter set ?5 NULL" ".parameter set ?6 NULL" \
            ".read bench/sql/export.sql"
        run "score-$n" "$ECON" --db "$db" score --format csv --as-of "$AS_OF"
        run "sqlite-score-$n" sqlite3 -csv -header "$db" ".parameter set ?1 $as_of_int" ".parameter set ?2 NULL" \
            ".parameter set ?3 NULL" ".parameter set ?4 NULL" ".parameter set ?5 1" ".read bench/sql/score.sql"
        run "report-$n" "$ECON" --db "$db" report --output "$WORK/report-$n.html" --as-of "$AS_OF"
    done

    for step in import gaps export score; do
        ours=$(col 1 "$step-$n" | median)
        theirs=$(col 1 "sqlite-$step-$n" | median)
        rss=$(col 2 "$step-$n" | sort -n | tail -1)
        if [ "$step" = import ]; then
            ratio=$(awk -v a="$ours" -v b="$theirs" 'BEGIN {printf "%.2f× rows/s", b / a}')
            printf '| %s | import | %.2f s (%.0f rows/s) | %.2f s (%.0f rows/s) | %s | %.1f MB |\n' \
                "$n" "$ours" "$(awk -v n="$n" -v t="$ours" 'BEGIN {print n / t}')" \
                "$theirs" "$(awk -v n="$n" -v t="$theirs" 'BEGIN {print n / t}')" "$ratio" "$(awk -v k="$rss" 'BEGIN {print k / 1024}')"
        else
            ratio=$(awk -v a="$ours" -v b="$theirs" 'BEGIN {printf "%.2f× time", a / b}')
            printf '| %s | %s | %.2f s | %.2f s | %s | %.1f MB |\n' "$n" "$step" "$ours" "$theirs" "$ratio" \
                "$(awk -v k="$rss" 'BEGIN {print k / 1024}')"
        fi
    done
    ours=$(col 1 "report-$n" | median)
    rss=$(col 2 "report-$n" | sort -n | tail -1)
    printf '| %s | report | %.2f s | — | — | %.1f MB |\n' "$n" "$ours" "$(awk -v k="$rss" 'BEGIN {print k / 1024}')"
done
echo
echo "medians of $RUNS runs; $(nproc) cores; $(sqlite3 --version | cut -d' ' -f1-2 | sed 's/^/sqlite3 /')"
