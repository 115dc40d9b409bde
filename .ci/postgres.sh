#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests: Debian's own server binaries, a cluster in a
# fresh temporary folder, run as the unprivileged `postgres` user, listening only on
# 127.0.0.1 (on a free port) and on a Unix socket inside that folder.
#
#   eval "$(.ci/postgres.sh start)"     # exports ECONTRACK_TEST_POSTGRES and ECONTRACK_PG_DIR
#   .ci/postgres.sh stop "$ECONTRACK_PG_DIR"
#
# `start` prints the two `export` lines on stdout (and nothing else there); progress and
# the server's log on failure go to stderr. The cluster trusts every local connection: it
# holds nothing but test data and lives only as long as the run. The role `econtrack` owns
# the database `econtrack` (the unit tests make a schema each in it) and may create
# databases (the end-to-end harness makes one per test) and roles (the permissions test
# makes a read-only one), but is not a superuser.
set -euo pipefail

find_bin() {
    # The newest installed major version, if any.
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

start() {
    local bin
    bin=$(find_bin)
    if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
        echo "postgres.sh: initdb not found, installing Debian's postgresql" >&2
        apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql >&2
        bin=$(find_bin)
    fi
    [ -x "$bin/initdb" ] || { echo "postgres.sh: no initdb under /usr/lib/postgresql/*/bin" >&2; exit 1; }
    id postgres >/dev/null 2>&1 || { echo "postgres.sh: the postgres user is missing" >&2; exit 1; }

    local dir
    dir=$(mktemp -d /tmp/econtrack-pg.XXXXXX)
    chown postgres: "$dir"
    chmod 700 "$dir"
    # Run as postgres from a folder it may enter (the caller's may be closed to it).
    as_postgres() { (cd "$dir" && runuser -u postgres -- "$@"); }

    as_postgres "$bin/initdb" --pgdata="$dir/data" --username=postgres --auth=trust \
        --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; rm -rf "$dir"; exit 1; }

    # A free port: one nothing answers on, tried until the server takes it (another process
    # may win the race between the probe and the bind).
    local port started=""
    for _ in $(seq 1 20); do
        port=$((20000 + RANDOM % 40000))
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            continue
        fi
        if as_postgres "$bin/pg_ctl" --pgdata="$dir/data" --log="$dir/server.log" --wait --timeout=60 \
            --options="-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
            start >&2; then
            started=1
            break
        fi
    done
    if [ -z "$started" ]; then
        echo "postgres.sh: the server did not start; its log:" >&2
        cat "$dir/server.log" >&2 || true
        rm -rf "$dir"
        exit 1
    fi

    as_postgres "$bin/psql" --no-psqlrc --quiet --host="$dir" --port="$port" --username=postgres \
        --dbname=postgres --set=ON_ERROR_STOP=1 \
        --command="CREATE ROLE econtrack LOGIN CREATEDB CREATEROLE" --command="CREATE DATABASE econtrack OWNER econtrack" >&2

    echo "$port" >"$dir/port"
    echo "export ECONTRACK_PG_DIR=$dir"
    echo "export ECONTRACK_TEST_POSTGRES=postgres://econtrack@127.0.0.1:$port/econtrack"
}

stop() {
    local dir=${1:-${ECONTRACK_PG_DIR:-}}
    [ -n "$dir" ] || { echo "usage: postgres.sh stop DIR (the ECONTRACK_PG_DIR that start printed)" >&2; exit 2; }
    # Refuse anything but a folder `start` made.
    case "$dir" in /tmp/econtrack-pg.*) ;; *) echo "postgres.sh: $dir is not a throwaway server folder" >&2; exit 2 ;; esac
    [ -d "$dir" ] || return 0
    local bin
    bin=$(find_bin)
    if [ -f "$dir/data/postmaster.pid" ]; then
        (cd "$dir" && runuser -u postgres -- "$bin/pg_ctl" --pgdata="$dir/data" --mode=fast --wait stop >&2) || true
    fi
    rm -rf "$dir"
}

case "${1:-}" in
    start) start ;;
    stop) stop "${2:-}" ;;
    *) echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
