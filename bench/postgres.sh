#!/usr/bin/env bash
# Measures econtrack on PostgreSQL against psql doing the same work, in one run
# (`bench/run.sh --postgres [N ...]` runs this; default 100000 1000000).
#
# The server is ECONTRACK_BENCH_POSTGRES when set (a URL whose role may create databases),
# else a throwaway one from .ci/postgres.sh, stopped at the end. For each N, medians of RUNS
# runs (default 3) of:
#   import  econtrack import of the generated folder (validating, normalised schema), rows in
#           key order and shuffled (bench/dataset.rs, seed 42), each paired (in the same run)
#           with psql's \copy of the same rows, ids already resolved, into an empty copy of
#           figures WITHOUT its integrity checks (primary key, CHECKs and the partial index on
#           targets; no foreign key, no trigger): the table's own cost, the fastest any client
#           could load these rows (issue 28's reference; goal >= 0.8). Its database is made by
#           econtrack (init --empty, then an import of the data set's sources, indicators and
#           entities only). Untimed: once per N, bench/sql/postgres/schema-ceiling.sql
#           resolves values.csv there into a CSV of figures rows; before each timed \copy,
#           bench/sql/postgres/schema-ceiling-table.sql drops and recreates the table
#           (figures_ceiling). The ratio is econtrack rows/s ÷ psql rows/s, the median of the
#           pairs' ratios (higher is better)
#   reimport  the same key-ordered rows imported again into the database just loaded (all
#           unchanged), against that run's fresh import (time ratio, goal <= 1.2)
#   copy    econtrack copy of the N-value SQLite database (the key-ordered set, imported into a
#           file once, untimed) into an empty server database, against that run's fresh
#           import (time ratio, goal <= 1.5)
#   gaps    econtrack gaps --format csv vs psql --csv executing the statement econtrack
#           runs (bench/sql/postgres/gaps.sql, prepared, same parameters)
#   export  econtrack export values vs psql --csv executing bench/sql/postgres/export.sql
#   score   econtrack score --format csv vs psql --csv executing the two statements its
#           scoring pass reads (bench/sql/postgres/score.sql)
# (time ratios, lower is better, goal <= 1.5 for gaps and export), with the peak resident
# memory of each econtrack process (the client; goal < 64 MB). BENCH_NO_BUILD=1 skips the
# cargo build and uses the binaries already in target/release.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(100000 1000000)
WORK=${BENCH_WORK:-bench/work}
AS_OF=2031-12-31

command -v psql >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq postgresql-client >/dev/null; }
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }

if [ -n "${ECONTRACK_BENCH_POSTGRES:-}" ]; then
    SERVER=$ECONTRACK_BENCH_POSTGRES
else
    eval "$(.ci/postgres.sh start)"
    trap '.ci/postgres.sh stop "$ECONTRACK_PG_DIR"' EXIT
    trap 'exit 143' TERM INT HUP
    SERVER=$ECONTRACK_TEST_POSTGRES
fi
# The same server, database NAME.
url() { echo "${SERVER%/*}/$1"; }
sql() { psql --no-psqlrc --quiet --set=ON_ERROR_STOP=1 "$@"; }

[ "${BENCH_NO_BUILD:-}" = 1 ] || cargo build --release --quiet --bin econtrack --example generate
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
pair() { awk -v a="$(tail -1 "$WORK/$1" | cut -d' ' -f1)" -v b="$(tail -1 "$WORK/$2" | cut -d' ' -f1)" 'BEGIN {print b / a}'; }

# fresh_db NAME: an empty database NAME on the server.
fresh_db() {
    sql "$SERVER" --command="DROP DATABASE IF EXISTS $1" --command="CREATE DATABASE $1"
}

# prepared FILE ARGS: the statements of FILE (separated by blank-line-ended `;`), each
# prepared and executed with ARGS, as psql input.
prepared() {
    local file=$1 args=$2
    awk -v args="$args" 'BEGIN {RS = ";\n"} NF {n++; printf "PREPARE q%d AS %s;\nEXECUTE q%d(%s);\n", n, $0, n, args}' "$file"
}

printf '| rows | step | econtrack | psql | ratio | econtrack peak RSS |\n'
printf '|---:|---|---:|---:|---:|---:|\n'
for n in "${SIZES[@]}"; do
    data="$WORK/data-$n"
    [ -f "$data/values.csv" ] || "$GEN" "$n" "$data" 2>/dev/null
    shuffled="$WORK/shuffled-$n"
    [ -f "$shuffled/values.csv" ] || "$GEN" "$n" "$shuffled" --shuffled 42 2>/dev/null
    rm -f "$WORK"/pg-{import,import-shuffled,reimport,copy,schema-copy,schema-pair,schema-pair-shuffled,reimport-pair,copy-pair,gaps,psql-gaps,export,psql-export,score,psql-score}-"$n"
    db=econtrack_bench
    # The N-value SQLite file that `copy` reads: the key-ordered set, imported once, untimed.
    lite="$WORK/pg-source-$n.db"
    rm -f "$lite"*
    "$ECON" --db "$lite" init --empty >/dev/null
    "$ECON" --db "$lite" --quiet import "$data" >/dev/null
    # The schema-ceiling database: migrated by econtrack, holding the data set's sources,
    # indicators and entities as econtrack imports them; values.csv resolved against it
    # (ids, period keys) into $resolved, once, untimed.
    schema_db=econtrack_schema_ceiling
    resolved="$WORK/pg-resolved-$n.csv"
    fresh_db "$schema_db"
    "$ECON" --db "$(url $schema_db)" init --empty >/dev/null
    rm -rf "$WORK/pg-dims"; mkdir -p "$WORK/pg-dims"
    cp "$data"/{sources,indicators,entities}.csv "$WORK/pg-dims/"
    "$ECON" --db "$(url $schema_db)" --quiet import "$WORK/pg-dims" >/dev/null
    sql "$(url $schema_db)" --file=bench/sql/postgres/schema-ceiling.sql < "$data/values.csv" > "$resolved"
    [ "$(wc -l < "$resolved")" -eq "$n" ] || { echo "postgres.sh: $resolved does not hold $n rows" >&2; exit 1; }
    for _ in $(seq "$RUNS"); do
        sql "$(url $schema_db)" --file=bench/sql/postgres/schema-ceiling-table.sql
        run "pg-schema-copy-$n" psql --no-psqlrc --quiet --set=ON_ERROR_STOP=1 "$(url $schema_db)" \
            --command="\\copy figures_ceiling FROM '$resolved' WITH (FORMAT csv)"
        fresh_db "$db"
        "$ECON" --db "$(url $db)" init --empty >/dev/null
        run "pg-import-$n" "$ECON" --db "$(url $db)" --quiet import "$data"
        pair "pg-import-$n" "pg-schema-copy-$n" >> "$WORK/pg-schema-pair-$n"
        run "pg-reimport-$n" "$ECON" --db "$(url $db)" --quiet import "$data"
        pair "pg-import-$n" "pg-reimport-$n" >> "$WORK/pg-reimport-pair-$n"
        fresh_db econtrack_bench_copy
        run "pg-copy-$n" "$ECON" --quiet copy --from "$lite" --to "$(url econtrack_bench_copy)"
        pair "pg-import-$n" "pg-copy-$n" >> "$WORK/pg-copy-pair-$n"
        fresh_db econtrack_bench_copy
        "$ECON" --db "$(url econtrack_bench_copy)" init --empty >/dev/null
        run "pg-import-shuffled-$n" "$ECON" --db "$(url econtrack_bench_copy)" --quiet import "$shuffled"
        pair "pg-import-shuffled-$n" "pg-schema-copy-$n" >> "$WORK/pg-schema-pair-shuffled-$n"
    done
    sql "$SERVER" --command="DROP DATABASE IF EXISTS econtrack_bench_copy" --command="DROP DATABASE IF EXISTS $schema_db"
    rm -f "$resolved" "$lite"*
    sql "$(url $db)" --command="ANALYZE figures, sources, indicators, entities, documents"
    gaps_in="$WORK/pg-gaps.sql"; prepared bench/sql/postgres/gaps.sql "'$AS_OF', NULL, NULL, NULL, false, NULL" > "$gaps_in"
    export_in="$WORK/pg-export.sql"; prepared bench/sql/postgres/export.sql "NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL" > "$export_in"
    score_in="$WORK/pg-score.sql"; prepared bench/sql/postgres/score.sql "'$AS_OF', NULL, NULL, NULL, true" > "$score_in"
    for _ in $(seq "$RUNS"); do
        run "pg-gaps-$n" "$ECON" --db "$(url $db)" gaps --format csv --as-of "$AS_OF"
        run "pg-psql-gaps-$n" psql --no-psqlrc --quiet --set=ON_ERROR_STOP=1 --csv "$(url $db)" --file="$gaps_in"
        run "pg-export-$n" "$ECON" --db "$(url $db)" --quiet export values
        run "pg-psql-export-$n" psql --no-psqlrc --quiet --set=ON_ERROR_STOP=1 --csv "$(url $db)" --file="$export_in"
        run "pg-score-$n" "$ECON" --db "$(url $db)" score --format csv --as-of "$AS_OF"
        run "pg-psql-score-$n" psql --no-psqlrc --quiet --set=ON_ERROR_STOP=1 --csv "$(url $db)" --file="$score_in"
    done

    rss() { awk -v k="$(col 2 "$1" | sort -n | tail -1)" 'BEGIN {print k / 1024}'; }
    ceiling=$(col 1 "pg-schema-copy-$n" | median)
    for order in ordered shuffled; do
        label="pg-import-$n"; pairs="pg-schema-pair-$n"
        [ "$order" = shuffled ] && { label="pg-import-shuffled-$n"; pairs="pg-schema-pair-shuffled-$n"; }
        ours=$(col 1 "$label" | median)
        printf '| %s | import, %s (vs psql \\copy into figures without integrity checks) | %.2f s (%.0f rows/s) | %.2f s | %.2f× rows/s | %.1f MB |\n' \
            "$n" "$order" "$ours" "$(awk -v n="$n" -v t="$ours" 'BEGIN {print n / t}')" "$ceiling" \
            "$(median < "$WORK/$pairs")" "$(rss "$label")"
    done
    printf '| %s | reimport (vs the fresh import) | %.2f s | %.2f s | %.2f× time | %.1f MB |\n' "$n" \
        "$(col 1 "pg-reimport-$n" | median)" "$(col 1 "pg-import-$n" | median)" "$(median < "$WORK/pg-reimport-pair-$n")" \
        "$(rss "pg-reimport-$n")"
    printf '| %s | copy of the SQLite file into an empty server (vs the fresh import) | %.2f s | %.2f s | %.2f× time | %.1f MB |\n' "$n" \
        "$(col 1 "pg-copy-$n" | median)" "$(col 1 "pg-import-$n" | median)" "$(median < "$WORK/pg-copy-pair-$n")" \
        "$(rss "pg-copy-$n")"
    for step in gaps export score; do
        ours=$(col 1 "pg-$step-$n" | median)
        theirs=$(col 1 "pg-psql-$step-$n" | median)
        printf '| %s | %s | %.2f s | %.2f s | %s | %.1f MB |\n' "$n" "$step" "$ours" "$theirs" \
            "$(awk -v a="$ours" -v b="$theirs" 'BEGIN {printf "%.2f× time", a / b}')" "$(rss "pg-$step-$n")"
    done
    sql "$SERVER" --command="DROP DATABASE IF EXISTS $db"
done
echo
echo "medians of $RUNS runs (ratios: medians of per-run pairs); $(nproc) cores; $(psql --version | cut -d' ' -f1,3 | sed 's/^psql/PostgreSQL client/'); server: $(sql "$SERVER" --tuples-only --command='SHOW server_version' | tr -d ' ')"
