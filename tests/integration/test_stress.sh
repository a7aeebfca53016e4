# test_stress.sh: many concurrent runners, repeated on fresh databases: every
# runner exits 0, every migration is applied exactly once.
#
#   PostgreSQL: 10 runs x 16 runners x 200 migrations (advisory lock)
#   SQLite:     10 runs x  8 runners x 200 migrations (flock on the file)
#
# Each test prints one summary line (runs, runners, duplicates, timings);
# the PostgreSQL one also times a single runner on the same 200 migrations.

ss_now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

SS_PIDS=()
ss_cleanup() {
    local p
    for p in "${SS_PIDS[@]}"; do
        kill -9 "$p" 2>/dev/null || true
    done
}
trap ss_cleanup EXIT

# ss_write_migrations N: 0001 .. N, each a small table holding one row
ss_write_migrations() {
    local i
    for i in $(seq 1 "$1"); do
        printf -- 'CREATE TABLE c_%d (id integer PRIMARY KEY);\nINSERT INTO c_%d VALUES (%d);\n' \
            "$i" "$i" "$i" > "migrations/$(printf '%04d' "$i")_c_$i.sql"
    done
}

# ss_check_query N: one query returning "tables|bad" where bad counts the
# tables c_1..c_N that do not hold exactly one row
ss_check_query() {
    local i q=""
    for i in $(seq 1 "$1"); do
        q+="${q:+ UNION ALL }SELECT (SELECT count(*) FROM c_$i) AS n"
    done
    echo "SELECT count(*), count(*) FILTER (WHERE n <> 1) FROM ($q) s"
}

# ss_fresh_db: an empty database (PostgreSQL: dropped and created again;
# SQLite: the file removed)
ss_fresh_db() {
    if [ "$DRIVER" = postgres ]; then
        psql -q -d postgres -c "DROP DATABASE IF EXISTS $DBNAME WITH (FORCE)" >/dev/null
        psql -q -d postgres -c "CREATE DATABASE $DBNAME" >/dev/null
    else
        rm -f "$T/test.db" "$T/test.db-journal" "$T/test.db-wal" "$T/test.db-shm"
    fi
}

# ss_run RUNNERS: start RUNNERS migrates at once and wait for all; fails on any
# non-zero exit or sanitizer report. Sets SS_MS (wall time).
ss_run() {
    local n=$1 r rc t0
    local pids=()
    t0=$(ss_now_ms)
    for r in $(seq 1 "$n"); do
        "$STRATA" -q --url "$DBURL" migrate >"$T/out.$r" 2>"$T/err.$r" &
        pids+=($!)
        SS_PIDS+=($!)
    done
    for r in $(seq 1 "$n"); do
        rc=0
        wait "${pids[$((r - 1))]}" || rc=$?
        if [ "$rc" != 0 ] || grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:' "$T/err.$r"; then
            OUT=$(cat "$T/out.$r")
            ERR=$(cat "$T/err.$r")
            fail "runner $r of $n exited $rc"
        fi
    done
    SS_PIDS=()
    SS_MS=$(( $(ss_now_ms) - t0 ))
}

# ss_stress RUNS RUNNERS MIGRATIONS: the loop; prints the summary line
ss_stress() {
    local runs=$1 runners=$2 nmig=$3 run dups=0 total=0 min=999999 max=0 q rows distinct res
    ss_write_migrations "$nmig"
    q=$(ss_check_query "$nmig")
    for run in $(seq 1 "$runs"); do
        ss_fresh_db
        ss_run "$runners"
        total=$((total + SS_MS))
        [ "$SS_MS" -lt "$min" ] && min=$SS_MS
        [ "$SS_MS" -gt "$max" ] && max=$SS_MS
        rows=$(sql "SELECT count(*) FROM $(history_table)")
        distinct=$(sql "SELECT count(DISTINCT version) FROM $(history_table) WHERE success")
        dups=$((dups + rows - distinct))
        [ "$rows" = "$nmig" ] || fail "run $run: history has $rows rows, expected $nmig"
        [ "$distinct" = "$nmig" ] || fail "run $run: $distinct distinct successful versions, expected $nmig"
        res=$(sql "$q")
        [ "$res" = "$nmig|0" ] || fail "run $run: tables|tables-without-exactly-one-row = $res, expected $nmig|0"
        if [ "$DRIVER" = postgres ]; then
            [ "$(sql "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")" = 0 ] ||
                fail "run $run: an advisory lock outlived its runner"
        fi
    done
    echo "stress [$DRIVER]: $runs runs x $runners runners x $nmig migrations: $dups duplicates, 0 failed runners; wall per run avg $((total / runs)) ms (min $min, max $max)"
    [ "$dups" = 0 ] || fail "$dups duplicate applications"
}

test_pg_stress_16_concurrent_runners() {
    local one
    # one runner alone on the same 200 migrations, for comparison
    ss_write_migrations 200
    ss_run 1
    one=$SS_MS
    [ "$(sql "SELECT count(*) FROM $(history_table)")" = 200 ] || fail "a single runner should apply 200"
    echo "stress [$DRIVER]: 1 runner x 200 migrations: $one ms"
    ss_stress 10 16 200
}

test_stress_8_concurrent_runners_sqlite() {
    local one
    ss_write_migrations 200
    ss_run 1
    one=$SS_MS
    [ "$(sql "SELECT count(*) FROM $(history_table)")" = 200 ] || fail "a single runner should apply 200"
    echo "stress [$DRIVER]: 1 runner x 200 migrations: $one ms"
    ss_stress 10 8 200
}
