# tests/integration/lib.sh: helpers for the integration tests (sourced).
#
# Each test function runs in its own shell with a fresh temp folder as the
# project ($T, the current folder) and a fresh database ($DBURL): a new
# SQLite file, or a new database on the private PostgreSQL cluster.
# DRIVER is "sqlite" or "postgres". Test names say which drivers they run on:
# test_both_* (both), test_pg_* (PostgreSQL only), test_* (SQLite only).

: "${STRATA:?STRATA must point at the strata binary}"

setup_test() {
    T=$(mktemp -d /tmp/strata-it.XXXXXX)
    cd "$T"
    mkdir -p migrations
    if [ "$DRIVER" = postgres ]; then
        DBNAME="it_$(basename "$T" | tr -dc 'a-zA-Z0-9' | tr 'A-Z' 'a-z')"
        psql -q -d postgres -c "CREATE DATABASE $DBNAME" >/dev/null
        DBURL="postgresql://postgres@/$DBNAME?host=$STRATA_TEST_PG_HOST&port=$STRATA_TEST_PG_PORT"
    else
        DBNAME=""
        DBURL="sqlite:$T/test.db"
    fi
    export DBURL
    unset DATABASE_URL STRATA_ENV STRATA_CONFIG STRATA_MIGRATIONS_DIR
}

teardown_test() {
    cd /
    if [ -n "${DBNAME:-}" ]; then
        psql -q -d postgres -c "DROP DATABASE IF EXISTS $DBNAME WITH (FORCE)" >/dev/null
    fi
    rm -rf "$T"
}

# raw ARGS...: run strata; sets OUT, ERR, RC. Never fails by itself, except
# when a sanitizer reported something.
raw() {
    set +e
    OUT=$("$STRATA" "$@" 2>"$T/.err")
    RC=$?
    set -e
    ERR=$(cat "$T/.err")
    if [ "$RC" = 99 ] || [ "$RC" = 98 ] || grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:' "$T/.err"; then
        echo "sanitizer report from: strata $*" >&2
        cat "$T/.err" >&2
        exit 1
    fi
    return 0
}

# st ARGS...: raw on the test's database ($DBURL)
st() { raw --url "$DBURL" "$@"; }

fail() {
    echo "FAILED: $*" >&2
    echo "--- stdout:" >&2
    echo "$OUT" >&2
    echo "--- stderr:" >&2
    echo "$ERR" >&2
    exit 1
}

expect_rc() { [ "$RC" = "$1" ] || fail "expected exit $1, got $RC"; }
expect_out() { grep -qF -- "$1" <<<"$OUT" || fail "stdout lacks '$1'"; }
expect_err() { grep -qF -- "$1" <<<"$ERR" || fail "stderr lacks '$1'"; }
expect_no_out() { ! grep -qF -- "$1" <<<"$OUT" || fail "stdout has '$1'"; }
expect_no_err() { ! grep -qF -- "$1" <<<"$ERR" || fail "stderr has '$1'"; }

# sql QUERY: run QUERY on the test database; prints rows as a|b|c.
sql() {
    if [ "$DRIVER" = postgres ]; then
        psql -X -q -A -t -d "$DBNAME" -c "$1"
    else
        sqlite3 "$T/test.db" "$1"
    fi
}

# history_table: the qualified history table name for the driver
history_table() {
    if [ "$DRIVER" = postgres ]; then echo "strata.strata_history"; else echo "strata_history"; fi
}

# table_exists NAME: exit 0 if the table exists
table_exists() {
    if [ "$DRIVER" = postgres ]; then
        [ "$(sql "SELECT to_regclass('$1') IS NOT NULL")" = t ]
    else
        [ "$(sql "SELECT count(*) FROM sqlite_master WHERE name = '$1'")" = 1 ]
    fi
}

# mig PATH: write stdin to migrations/PATH (folders created)
mig() {
    mkdir -p "$(dirname "migrations/$1")"
    cat > "migrations/$1"
}

# json_get FILTER: a jq filter applied to the JSON in $OUT (raw output)
json_get() {
    jq -r "$1" <<<"$OUT"
}

# pg_wait_active PATTERN [SECS]: wait until a session in this database runs
# a statement LIKE PATTERN
pg_wait_active() {
    local _ n
    for _ in $(seq 1 $(( ${2:-15} * 20 ))); do
        n=$(sql "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND query LIKE '$1' AND pid <> pg_backend_pid()")
        [ "$n" -ge 1 ] && return 0
        sleep 0.05
    done
    fail "no session started running '$1'"
}
