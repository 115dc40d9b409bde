#!/usr/bin/env bash
# Measures econtrack against the sqlite3 command-line shell on the same data, in one run.
#
#   bench/run.sh [N ...]        default: 100000 1000000 (10000000 when asked)
#   bench/run.sh --postgres [N ...]   the same steps on PostgreSQL against psql (bench/postgres.sh)
#
# For each N it generates the synthetic data set (bench/dataset.rs) and reports medians of
# RUNS runs (default 3) of:
#   import  econtrack import (validating, normalised schema) vs sqlite3 .import of the
#           same values.csv into a plain 7-column table (the practical ceiling), for the
#           rows in key order and shuffled (bench/dataset.rs, seed 42), run in pairs
#           (econtrack, sqlite3, econtrack, sqlite3, ...): the ratio is the median of the
#           pairs' ratios, so a noisy neighbour slows both sides of a pair alike
#   reimport  importing the same key-ordered rows again (all unchanged) vs the fresh import
#           of the same pair
#   replace (N >= 1,000,000) import --replace of 100,000 changed rows into a copy of the
#           N-row database vs a fresh import of those rows into an empty one
#   into big (N >= 10,000,000) 100,000 new rows into a copy of the N-row database vs into
#           an empty one, per row; and the reference: sqlite3 inserting the same rows, ids
#           resolved beforehand, into the same two tables (bench/sql/into_big.sql)
#   gaps    econtrack gaps --format csv vs sqlite3 -csv running the same selection
#           (bench/sql/gaps.sql, the statement econtrack runs) on the same database file
#   export  econtrack export values vs sqlite3 -csv running bench/sql/export.sql
#   score --by horizon  econtrack alone (every vintage, maturity 12, random-walk benchmark)
#   score   econtrack score --format csv vs sqlite3 -csv running the two statements its
#           scoring pass reads (bench/sql/score.sql: forecasts with their actuals, targets)
#   report  econtrack report (the HTML page, at most --max-targets 50 targets drawn; no
#           sqlite3 counterpart, so time and memory only)
# plus the peak resident memory of each econtrack command, and then bench/extract.sh
# (`extract` on generated 2.5 MB and 10 MB texts: time, peak memory and their growth). Ratios are speed ratios:
# import is econtrack rows/s ÷ sqlite3 rows/s (higher is better, goal ≥ 0.5); gaps, export
# and score are econtrack time ÷ sqlite3 time (lower is better, goal ≤ 1.5 for gaps and export).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = --postgres ]; then
    shift
    exec bench/postgres.sh "$@"
fi

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

# pair A B: the last time of B over the last time of A (a speed ratio when A is econtrack
# and B the ceiling; a cost ratio when B is the slower step).
pair() { awk -v a="$(tail -1 "$WORK/$1" | cut -d' ' -f1)" -v b="$(tail -1 "$WORK/$2" | cut -d' ' -f1)" 'BEGIN {print b / a}'; }

# fresh_db DB: an empty econtrack database.
fresh_db() { rm -f "$1" "$1"-wal "$1"-shm; "$ECON" --db "$1" init --empty >/dev/null; }

# dims_db DB DIR: a database holding DIR's sources, indicators and entities only.
dims_db() {
    fresh_db "$1"
    mkdir -p "$WORK/dims"
    cp "$2"/{sources,indicators,entities}.csv "$WORK/dims/"
    "$ECON" --db "$1" --quiet import "$WORK/dims" >/dev/null
}

# replace_step N DATA DB: every (N/100000)th row of DATA with its value changed, imported
# with --replace into a copy of DB, against a fresh import of the same rows.
replace_step() {
    local n=$1 data=$2 db=$3 changed="$WORK/changed-$1"
    mkdir -p "$changed"
    awk -F, -v OFS=, -v every=$(($1 / 100000)) 'NR == 1 {print; next} (NR - 2) % every == 0 {
        $5 = ($5 ~ /\./) ? $5 "7" : $5 ".7"; print }' "$data/values.csv" > "$changed/values.csv"
    rm -f "$WORK"/{replace,fresh-changed,pair-replace}-"$n"
    for _ in $(seq "$RUNS"); do
        dims_db "$WORK/empty.db" "$data"
        run "fresh-changed-$n" "$ECON" --db "$WORK/empty.db" --quiet import "$changed"
        rm -f "$WORK/copy.db"*; cp "$db" "$WORK/copy.db"
        run "replace-$n" "$ECON" --db "$WORK/copy.db" --quiet import --replace "$changed"
        pair "fresh-changed-$n" "replace-$n" >> "$WORK/pair-replace-$n"
    done
}

# into_big_step N DB: 100,000 rows under keys DB does not hold (the 100,000-row set, its
# published dates moved to the years 49xx-40xx), into a copy of DB against into an empty database.
into_big_step() {
    local n=$1 db=$2 small="$WORK/data-100000" new="$WORK/new-100000"
    [ -f "$small/values.csv" ] || "$GEN" 100000 "$small" 2>/dev/null
    mkdir -p "$new"
    awk -F, -v OFS=, 'NR == 1 {print; next} {$7 = "4" substr($7, 2); print}' "$small/values.csv" > "$new/values.csv"
    rm -f "$WORK"/{into-big,into-empty,pair-into-big,sqlite-into-big,sqlite-into-empty,pair-sqlite-into-big}-"$n"
    for _ in $(seq "$RUNS"); do
        dims_db "$WORK/empty.db" "$small"
        run "into-empty-$n" "$ECON" --db "$WORK/empty.db" --quiet import "$new"
        rm -f "$WORK/copy.db"*; cp "$db" "$WORK/copy.db"
        run "into-big-$n" "$ECON" --db "$WORK/copy.db" --quiet import "$new"
        pair "into-empty-$n" "into-big-$n" >> "$WORK/pair-into-big-$n"
        # The reference: sqlite3 writing the same rows into the same table, both ways.
        dims_db "$WORK/empty.db" "$small"
        sqlite_into "$WORK/empty.db" >> "$WORK/sqlite-into-empty-$n"
        rm -f "$WORK/copy.db"*; cp "$db" "$WORK/copy.db"
        sqlite_into "$WORK/copy.db" >> "$WORK/sqlite-into-big-$n"
        pair "sqlite-into-empty-$n" "sqlite-into-big-$n" >> "$WORK/pair-sqlite-into-big-$n"
    done
}

# sqlite_into DB: seconds sqlite3 takes to INSERT the into-big step's rows into DB's figures
# (bench/sql/into_big.sql, its ids resolved beforehand; `.timer` of the INSERT alone).
sqlite_into() {
    local sql=$PWD/bench/sql/into_big.sql db
    db=$(realpath "$1")
    (cd "$WORK" && sqlite3 "$db" ".read $sql") | awk '/^Run Time:/ {print $4}' | tail -1
}

printf '| rows | step | econtrack | sqlite3 | ratio | econtrack peak RSS |\n'
printf '|---:|---|---:|---:|---:|---:|\n'
for n in "${SIZES[@]}"; do
    data="$WORK/data-$n"
    [ -f "$data/values.csv" ] || "$GEN" "$n" "$data" 2>/dev/null
    db="$WORK/econtrack-$n.db"
    raw="$WORK/raw-$n.db"
    rm -f "$WORK"/{import,sqlite-import,gaps,sqlite-gaps,export,sqlite-export,score,sqlite-score,score-horizon,report}-"$n"

    shuffled="$WORK/shuffled-$n"
    [ -f "$shuffled/values.csv" ] || "$GEN" "$n" "$shuffled" --shuffled 42 2>/dev/null
    rm -f "$WORK"/{import,sqlite-import,pair}-{ordered,shuffled}-"$n" "$WORK"/{reimport,pair-reimport}-"$n"
    for _ in $(seq "$RUNS"); do
        for order in shuffled ordered; do
            dir=$data
            [ "$order" = shuffled ] && dir=$shuffled
            fresh_db "$db"
            run "import-$order-$n" "$ECON" --db "$db" --quiet import "$dir"
            rm -f "$raw"
            sqlite3 "$raw" "CREATE TABLE v(indicator TEXT, entity TEXT, period TEXT, kind TEXT, value TEXT, source TEXT, published TEXT);"
            run "sqlite-import-$order-$n" sqlite3 "$raw" ".mode csv" ".import --skip 1 $dir/values.csv v"
            pair "import-$order-$n" "sqlite-import-$order-$n" >> "$WORK/pair-$order-$n"
        done
        # $db now holds the key-ordered import: the same rows again are all unchanged.
        run "reimport-$n" "$ECON" --db "$db" --quiet import "$data"
        pair "import-ordered-$n" "reimport-$n" >> "$WORK/pair-reimport-$n"
    done
    cp "$WORK/import-ordered-$n" "$WORK/import-$n"
    cp "$WORK/sqlite-import-ordered-$n" "$WORK/sqlite-import-$n"
    if [ "$n" -ge 1000000 ]; then replace_step "$n" "$data" "$db"; fi
    if [ "$n" -ge 10000000 ]; then into_big_step "$n" "$db"; fi
    as_of_int=${AS_OF//-/}
    for _ in $(seq "$RUNS"); do
        run "gaps-$n" "$ECON" --db "$db" gaps --format csv --as-of "$AS_OF"
        run "sqlite-gaps-$n" sqlite3 -csv -header "$db" ".parameter set ?1 $as_of_int" ".parameter set ?2 NULL" \
            ".parameter set ?3 NULL" ".parameter set ?4 NULL" ".parameter set ?5 0" ".parameter set ?6 NULL" ".read bench/sql/gaps.sql"
        run "export-$n" "$ECON" --db "$db" --quiet export values
        run "sqlite-export-$n" sqlite3 -csv -header "$db" ".parameter set ?1 NULL" ".parameter set ?2 NULL" \
            ".parameter set ?3 NULL" ".parameter set ?4 NULL" ".parameter set ?5 NULL" ".parameter set ?6 NULL" ".parameter set ?7 NULL" ".parameter set ?8 NULL" \
            ".read bench/sql/export.sql"
        run "score-$n" "$ECON" --db "$db" score --format csv --as-of "$AS_OF"
        run "sqlite-score-$n" sqlite3 -csv -header "$db" ".parameter set ?1 $as_of_int" ".parameter set ?2 NULL" \
            ".parameter set ?3 NULL" ".parameter set ?4 NULL" ".parameter set ?5 1" ".read bench/sql/score.sql"
        run "score-horizon-$n" "$ECON" --db "$db" score --by horizon --actual maturity:12 --benchmark random-walk \
            --format csv --as-of "$AS_OF"
        run "report-$n" "$ECON" --db "$db" report --output "$WORK/report-$n.html" --force --as-of "$AS_OF"
    done

    for order in ordered shuffled; do
        ours=$(col 1 "import-$order-$n" | median)
        theirs=$(col 1 "sqlite-import-$order-$n" | median)
        rss=$(col 2 "import-$order-$n" | sort -n | tail -1)
        printf '| %s | import (%s) | %.2f s (%.0f rows/s) | %.2f s | %.2f× rows/s | %.1f MB |\n' "$n" "$order" "$ours" \
            "$(awk -v n="$n" -v t="$ours" 'BEGIN {print n / t}')" "$theirs" "$(median < "$WORK/pair-$order-$n")" \
            "$(awk -v k="$rss" 'BEGIN {print k / 1024}')"
    done
    printf '| %s | re-import, all unchanged | %.2f s | fresh %.2f s | %.2f× time | %.1f MB |\n' "$n" \
        "$(col 1 "reimport-$n" | median)" "$(col 1 "import-ordered-$n" | median)" "$(median < "$WORK/pair-reimport-$n")" \
        "$(awk -v k="$(col 2 "reimport-$n" | sort -n | tail -1)" 'BEGIN {print k / 1024}')"
    if [ -f "$WORK/pair-replace-$n" ]; then
        printf '| %s | import --replace of 100000 changed | %.2f s | fresh 100000: %.2f s | %.2f× time | %.1f MB |\n' "$n" \
            "$(col 1 "replace-$n" | median)" "$(col 1 "fresh-changed-$n" | median)" "$(median < "$WORK/pair-replace-$n")" \
            "$(awk -v k="$(col 2 "replace-$n" | sort -n | tail -1)" 'BEGIN {print k / 1024}')"
    fi
    if [ -f "$WORK/pair-into-big-$n" ]; then
        printf '| %s | 100000 new rows into it | %.2f s | into empty: %.2f s | %.2f× time | %.1f MB |\n' "$n" \
            "$(col 1 "into-big-$n" | median)" "$(col 1 "into-empty-$n" | median)" "$(median < "$WORK/pair-into-big-$n")" \
            "$(awk -v k="$(col 2 "into-big-$n" | sort -n | tail -1)" 'BEGIN {print k / 1024}')"
        printf '| %s | the same rows by sqlite3 into the same table | %.2f s | into empty: %.2f s | %.2f× time | — |\n' "$n" \
            "$(col 1 "sqlite-into-big-$n" | median)" "$(col 1 "sqlite-into-empty-$n" | median)" "$(median < "$WORK/pair-sqlite-into-big-$n")"
    fi
    for step in gaps export score; do
        ours=$(col 1 "$step-$n" | median)
        theirs=$(col 1 "sqlite-$step-$n" | median)
        rss=$(col 2 "$step-$n" | sort -n | tail -1)
        ratio=$(awk -v a="$ours" -v b="$theirs" 'BEGIN {printf "%.2f× time", a / b}')
        printf '| %s | %s | %.2f s | %.2f s | %s | %.1f MB |\n' "$n" "$step" "$ours" "$theirs" "$ratio" \
            "$(awk -v k="$rss" 'BEGIN {print k / 1024}')"

    done
    ours=$(col 1 "score-horizon-$n" | median)
    rss=$(col 2 "score-horizon-$n" | sort -n | tail -1)
    printf '| %s | score --by horizon (maturity:12, random walk) | %.2f s | — | — | %.1f MB |\n' "$n" "$ours" \
        "$(awk -v k="$rss" 'BEGIN {print k / 1024}')"
    ours=$(col 1 "report-$n" | median)
    rss=$(col 2 "report-$n" | sort -n | tail -1)
    printf '| %s | report | %.2f s | — | — | %.1f MB |\n' "$n" "$ours" "$(awk -v k="$rss" 'BEGIN {print k / 1024}')"
done
echo
echo "medians of $RUNS runs (import ratios: medians of per-pair ratios); $(nproc) cores; $(sqlite3 --version | cut -d' ' -f1-2 | sed 's/^/sqlite3 /')"
echo
bench/extract.sh
