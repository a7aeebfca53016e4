# test_safety.sh: strata under interruption and slow or absent databases:
# a waiting runner vs CREATE INDEX CONCURRENTLY, lock_timeout with retries,
# SIGINT/SIGTERM, kill -9, a server stopped under a runner, --wait and
# `strata wait`, [hooks] commands and SQL callbacks, statement timeouts.
#
# Every background process a test starts is recorded (sf_bg) and killed by
# PID in the EXIT trap; a test that stops the PostgreSQL server restarts it
# in the same trap, so later tests find it running.

SF_PIDS=()
SF_PG_TOUCHED=0

# ---- helpers -----------------------------------------------------------------

sf_now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

sf_cleanup() {
    local p
    for p in "${SF_PIDS[@]}"; do
        kill -9 "$p" 2>/dev/null || true
    done
    SF_PIDS=()
    if [ "$SF_PG_TOUCHED" = 1 ]; then
        sf_pg_start || echo "sf_cleanup: could not restart PostgreSQL" >&2
    fi
}
trap sf_cleanup EXIT

# sf_bg NAME CMD...: run CMD in the background, stdout to NAME.out and stderr
# to NAME.err in the project folder; its PID in BG (and in the cleanup list).
sf_bg() {
    local name=$1
    shift
    "$@" >"$T/$name.out" 2>"$T/$name.err" &
    BG=$!
    SF_PIDS+=("$BG")
}

# sf_forget PID: drop PID from the cleanup list (it has been reaped)
sf_forget() {
    local p keep=()
    for p in "${SF_PIDS[@]}"; do
        [ "$p" = "$1" ] || keep+=("$p")
    done
    SF_PIDS=("${keep[@]}")
}

# sf_reap PID NAME [SECS]: wait for PID at most SECS (default 30) seconds;
# sets WRC (its exit status). A process still
# running then is killed and the test fails: strata must not hang.
sf_reap() {
    local pid=$1 name=$2 secs=${3:-30} t0
    t0=$(sf_now_ms)
    while kill -0 "$pid" 2>/dev/null; do
        if [ $(( $(sf_now_ms) - t0 )) -ge $(( secs * 1000 )) ]; then
            kill -9 "$pid" 2>/dev/null || true
            wait "$pid" 2>/dev/null || true
            sf_forget "$pid"
            sf_fail_bg "$name" "$name still running after ${secs}s (hangs)"
        fi
        sleep 0.05
    done
    WRC=0
    wait "$pid" || WRC=$?
    sf_forget "$pid"
    if [ "$WRC" = 99 ] || [ "$WRC" = 98 ] ||
        grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:' "$T/$name.err" 2>/dev/null; then
        sf_fail_bg "$name" "sanitizer report from $name"
    fi
}

# sf_fail_bg NAME MSG: fail showing a background process's output
sf_fail_bg() {
    OUT=$(cat "$T/$1.out" 2>/dev/null || true)
    ERR=$(cat "$T/$1.err" 2>/dev/null || true)
    fail "$2"
}

# sf_hist_count [WHERE]: history rows (0 when the table does not exist)
sf_hist_count() {
    if ! table_exists "$(history_table)"; then
        echo 0
        return
    fi
    sql "SELECT count(*) FROM $(history_table) ${1:+WHERE $1}"
}

# sf_pg_end_strata_sessions: terminate this database's strata sessions (a
# killed client leaves its backend running its statement) and wait until gone
sf_pg_end_strata_sessions() {
    local _
    sql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'strata%'" >/dev/null
    for _ in $(seq 1 200); do
        [ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'strata%'")" = 0 ] && return 0
        sleep 0.05
    done
    fail "strata's sessions did not end"
}

sf_pg_advisory_locks() {
    sql "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
}

# pg_ctl for the test cluster, as its owner
sf_pgctl() {
    (
        cd /
        unset PGHOST PGPORT PGUSER PGDATABASE PGDATA
        if [ "$(id -u)" -eq 0 ]; then
            runuser -u postgres -- "$STRATA_TEST_PG_BINDIR/pg_ctl" -D "$STRATA_TEST_PG_HOST/data" "$@"
        else
            "$STRATA_TEST_PG_BINDIR/pg_ctl" -D "$STRATA_TEST_PG_HOST/data" "$@"
        fi
    )
}
sf_pg_running() { sf_pgctl status >/dev/null 2>&1; }
sf_pg_start() {
    sf_pg_running && return 0
    sf_pgctl -l "$STRATA_TEST_PG_HOST/server.log" -w -t 60 start >/dev/null
}
sf_pg_stop() {
    SF_PG_TOUCHED=1
    sf_pgctl -m immediate -w -t 60 stop >/dev/null
}

# ---- 2. a waiting runner does not block CREATE INDEX CONCURRENTLY --------------

test_pg_waiting_runner_does_not_block_create_index_concurrently() {
    mig 0001_ci.sql <<'SQL'
CREATE TABLE ci (id integer PRIMARY KEY, v text);
INSERT INTO ci SELECT g, md5(g::text) FROM generate_series(1, 20000) g;
SQL
    mig 0002_ci_index.sql <<'SQL'
-- strata:no-transaction
SELECT pg_sleep(2);
CREATE INDEX CONCURRENTLY idx_ci_v ON ci (v);
SQL
    local t0
    t0=$(sf_now_ms)
    sf_bg a "$STRATA" --url "$DBURL" migrate
    local pa=$BG
    sleep 0.5
    sf_bg b "$STRATA" --url "$DBURL" migrate
    local pb=$BG
    sf_reap "$pa" a 15
    [ "$WRC" = 0 ] || sf_fail_bg a "runner A exited $WRC"
    sf_reap "$pb" b 15
    [ "$WRC" = 0 ] || sf_fail_bg b "runner B exited $WRC"
    [ $(( $(sf_now_ms) - t0 )) -lt 15000 ] || fail "the two runners took more than 15 s"
    [ "$(sql "SELECT i.indisvalid FROM pg_index i WHERE i.indexrelid = to_regclass('idx_ci_v')")" = t ] ||
        fail "idx_ci_v should exist and be valid"
    [ "$(sf_hist_count)" = 2 ] || fail "history should have 2 rows"
    [ "$(sql "SELECT count(DISTINCT version) FROM $(history_table) WHERE success")" = 2 ] ||
        fail "each version once, both successful"
    grep -q 'up to date' "$T/b.out" || sf_fail_bg b "runner B should find nothing left to do"
}

# ---- 3. lock_timeout with retries ------------------------------------------------

test_pg_lock_timeout_retries_until_the_blocker_ends() {
    sql "CREATE TABLE t (id integer PRIMARY KEY)" >/dev/null
    mig 0001_add_x.sql <<'SQL'
ALTER TABLE t ADD COLUMN x integer;
SQL
    sf_bg blocker psql -X -q -d "$DBNAME" -c "BEGIN; SELECT * FROM t; SELECT pg_sleep(4); COMMIT;"
    local pblock=$BG t0
    pg_wait_active '%pg_sleep(4)%'
    t0=$(sf_now_ms)

    # one retry is not enough: fails, names the blocker, records nothing
    st migrate --lock-timeout 300ms --lock-retries 1
    expect_rc 5
    expect_err "blocked by pid"
    expect_err "retry 1 of 1"
    [ "$(sf_hist_count)" = 0 ] || fail "nothing may be recorded"
    [ "$(sql "SELECT count(*) FROM information_schema.columns WHERE table_name = 't' AND column_name = 'x'")" = 0 ] ||
        fail "column x must not exist"
    kill -0 "$pblock" 2>/dev/null || fail "the blocker ended too early for this test to mean anything"

    # six retries outlast the 4 s blocker
    st migrate --lock-timeout 300ms --lock-retries 6
    expect_rc 0
    expect_err "retry 1 of 6"
    [ $(( $(sf_now_ms) - t0 )) -ge 3500 ] || fail "it cannot have succeeded before the blocker committed"
    sf_reap "$pblock" blocker 10
    [ "$WRC" = 0 ] || sf_fail_bg blocker "the blocking session failed ($WRC)"
    [ "$(sql "SELECT count(*) FROM information_schema.columns WHERE table_name = 't' AND column_name = 'x'")" = 1 ] ||
        fail "column x should exist"
    [ "$(sf_hist_count "success")" = 1 ] || fail "one successful history row"
    [ "$(sf_hist_count)" = 1 ] || fail "no failed attempts recorded"
}

# ---- 4. SIGINT / SIGTERM -----------------------------------------------------------

test_pg_sigint_and_sigterm_cancel_and_roll_back() {
    mig 0001_slow.sql <<'SQL'
CREATE TABLE slow_t (id integer PRIMARY KEY);
SELECT pg_sleep(30);
SQL
    local sig pid t0
    for sig in INT TERM; do
        sf_bg "run_$sig" "$STRATA" --url "$DBURL" migrate
        pid=$BG
        pg_wait_active 'SELECT pg_sleep(30)%'
        t0=$(sf_now_ms)
        kill -"$sig" "$pid"
        sf_reap "$pid" "run_$sig" 10
        [ "$WRC" = 130 ] || sf_fail_bg "run_$sig" "SIG$sig: expected exit 130, got $WRC"
        [ $(( $(sf_now_ms) - t0 )) -lt 2000 ] || sf_fail_bg "run_$sig" "SIG$sig: took more than 2 s to stop"
        grep -q 'interrupted' "$T/run_$sig.err" || sf_fail_bg "run_$sig" "SIG$sig: stderr should say interrupted"
        ! table_exists slow_t || fail "SIG$sig: slow_t must be rolled back"
        [ "$(sf_hist_count)" = 0 ] || fail "SIG$sig: nothing may be recorded"
        [ "$(sf_pg_advisory_locks)" = 0 ] || fail "SIG$sig: an advisory lock was left behind"
        [ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'SELECT pg_sleep(30)%' AND state = 'active'")" = 0 ] ||
            fail "SIG$sig: the statement kept running on the server"
    done
    # the next run is not blocked by anything the interrupted ones left
    mig 0001_slow.sql <<'SQL'
CREATE TABLE slow_t (id integer PRIMARY KEY);
SQL
    st migrate --lock-wait 2s
    expect_rc 0
    table_exists slow_t || fail "slow_t should exist now"
}

test_sigint_and_sigterm_stop_a_long_sqlite_statement() {
    mig 0001_slow.sql <<'SQL'
CREATE TABLE slow_t (id integer PRIMARY KEY);
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c;
SQL
    local sig pid t0
    for sig in INT TERM; do
        sf_bg "run_$sig" "$STRATA" --url "$DBURL" migrate
        pid=$BG
        sleep 1
        kill -0 "$pid" 2>/dev/null || sf_fail_bg "run_$sig" "the endless statement ended by itself"
        t0=$(sf_now_ms)
        kill -"$sig" "$pid"
        sf_reap "$pid" "run_$sig" 10
        [ "$WRC" = 130 ] || sf_fail_bg "run_$sig" "SIG$sig: expected exit 130, got $WRC"
        [ $(( $(sf_now_ms) - t0 )) -lt 2000 ] || sf_fail_bg "run_$sig" "SIG$sig: took more than 2 s to stop"
        ! table_exists slow_t || fail "SIG$sig: slow_t must be rolled back"
        [ "$(sf_hist_count)" = 0 ] || fail "SIG$sig: nothing may be recorded"
    done
    # the file lock was released: the next run does not wait for it
    mig 0001_slow.sql <<'SQL'
CREATE TABLE slow_t (id integer PRIMARY KEY);
SQL
    st migrate --lock-wait 2s
    expect_rc 0
    table_exists slow_t || fail "slow_t should exist now"
}

test_both_sigint_while_waiting_for_the_lock() {
    mig 0001_hold.sql <<'SQL'
CREATE TABLE hold (id integer PRIMARY KEY);
SQL
    local pa pb t0
    if [ "$DRIVER" = postgres ]; then
        # the holder: another runner, busy in its migration
        echo "SELECT pg_sleep(3);" >> migrations/0001_hold.sql
        sf_bg a "$STRATA" --url "$DBURL" migrate
        pa=$BG
        pg_wait_active 'SELECT pg_sleep(3)%'
    else
        # the holder: the flock strata's SQLite driver takes on the file
        command -v flock >/dev/null || fail "flock(1) is needed for this test"
        # shellcheck disable=SC2016 # $1 is the inner shell's
        sf_bg a bash -c 'exec 9<>"$1" && flock -x 9 && exec sleep 30' _ "$T/test.db"  # one process
        pa=$BG
        sleep 0.3
    fi
    sf_bg b "$STRATA" --url "$DBURL" migrate
    pb=$BG
    sleep 0.7
    kill -0 "$pa" 2>/dev/null || sf_fail_bg a "the holder should still hold the lock"
    kill -0 "$pb" 2>/dev/null || sf_fail_bg b "runner B should be waiting for the lock"
    t0=$(sf_now_ms)
    kill -INT "$pb"
    sf_reap "$pb" b 10
    [ "$WRC" = 130 ] || sf_fail_bg b "a waiting runner: expected exit 130 on SIGINT, got $WRC"
    [ $(( $(sf_now_ms) - t0 )) -lt 2000 ] || sf_fail_bg b "the waiting runner took more than 2 s to stop"
    if [ "$DRIVER" = postgres ]; then
        sf_reap "$pa" a 30
        [ "$WRC" = 0 ] || sf_fail_bg a "runner A exited $WRC"
    else
        [ "$(sf_hist_count)" = 0 ] || fail "B must not have applied anything"
        kill "$pa"
        sf_reap "$pa" a 10
        st migrate --lock-wait 2s
        expect_rc 0
    fi
    [ "$(sf_hist_count)" = 1 ] || fail "history should have one row"
    table_exists hold || fail "0001 should be applied once"
}

# ---- 5. kill -9 ---------------------------------------------------------------------

test_pg_kill9_in_transactional_migration_leaves_nothing() {
    mig 0001_k.sql <<'SQL'
CREATE TABLE k (x integer);
SELECT pg_sleep(30);
SQL
    sf_bg run "$STRATA" --url "$DBURL" migrate
    local pid=$BG
    pg_wait_active 'SELECT pg_sleep(30)%'
    kill -9 "$pid"
    wait "$pid" 2>/dev/null || true
    sf_forget "$pid"
    # the killed client's backend sleeps on, holding its transaction and the lock
    sf_pg_end_strata_sessions
    ! table_exists k || fail "the killed migration's table must not exist"
    [ "$(sf_hist_count)" = 0 ] || fail "nothing may be recorded"
    [ "$(sf_pg_advisory_locks)" = 0 ] || fail "the advisory lock must go with the session"
    st status --json
    expect_rc 0
    [ "$(json_get '.migrations[] | select(.version == "1") | .state')" = pending ] || fail "0001 should be pending"
    # nothing was recorded, so editing the file is fine
    mig 0001_k.sql <<'SQL'
CREATE TABLE k (x integer);
SELECT pg_sleep(0.1);
SQL
    st migrate --lock-wait 5s
    expect_rc 0
    table_exists k || fail "k should exist"
    [ "$(sf_hist_count)" = 1 ] || fail "history should have one row"
    [ "$(sf_hist_count "success AND version = '1'")" = 1 ] || fail "0001 recorded as applied"
}

test_kill9_sqlite_leaves_nothing_and_releases_the_lock() {
    mig 0001_k.sql <<'SQL'
CREATE TABLE k (x integer);
INSERT INTO k VALUES (1);
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c;
SQL
    sf_bg run "$STRATA" --url "$DBURL" migrate
    local pid=$BG
    sleep 1
    kill -0 "$pid" 2>/dev/null || sf_fail_bg run "the endless statement ended by itself"
    kill -9 "$pid"
    wait "$pid" 2>/dev/null || true
    sf_forget "$pid"
    st status --json
    expect_rc 0
    [ "$(json_get '.migrations[] | select(.version == "1") | .state')" = pending ] || fail "0001 should be pending"
    mig 0001_k.sql <<'SQL'
CREATE TABLE k (x integer);
INSERT INTO k VALUES (1);
SQL
    st migrate --lock-wait 2s
    expect_rc 0
    [ "$(sql "SELECT count(*) FROM k")" = 1 ] || fail "k should hold one row"
    [ "$(sf_hist_count)" = 1 ] || fail "history should have one row"
    [ "$(sql "PRAGMA integrity_check")" = ok ] || fail "the database file is damaged"
}

test_pg_kill9_in_no_transaction_migration_is_recorded_as_failed() {
    mig 0001_a.sql <<'SQL'
CREATE TABLE a (id integer PRIMARY KEY);
SQL
    mig 0002_n.sql <<'SQL'
-- strata:no-transaction
CREATE TABLE n1 (x integer);
SELECT pg_sleep(30);
CREATE TABLE n2 (x integer);
SQL
    sf_bg run "$STRATA" --url "$DBURL" migrate
    local pid=$BG
    pg_wait_active 'SELECT pg_sleep(30)%'
    kill -9 "$pid"
    wait "$pid" 2>/dev/null || true
    sf_forget "$pid"
    sf_pg_end_strata_sessions
    table_exists n1 || fail "n1 ran before the kill and stays (no transaction)"
    ! table_exists n2 || fail "n2 never ran"
    [ "$(sf_hist_count "version = '1' AND success")" = 1 ] || fail "0001 stays applied"
    [ "$(sf_hist_count "version = '2' AND NOT success")" = 1 ] || fail "0002 should have a failed row"

    st migrate
    expect_rc 7
    expect_err "0002_n.sql"
    table_exists a || fail "a stays"

    st status --json
    expect_rc 0
    [ "$(json_get '.migrations[] | select(.version == "2") | .state')" = failed ] ||
        fail "status should show 0002 as failed"
    [ "$(json_get '.migrations[] | select(.version == "1") | .state')" = applied ] ||
        fail "status should show 0001 as applied"
    # how far it got: the history row's note says "1 statement done, through line 2";
    # status must show it (the refusal's hint says "status shows how far it got")
    OUT=$(json_get '.migrations[] | select(.version == "2")')  # the row, for the log
    grep -q 'statement' <<<"$OUT" ||
        fail "status --json should say how far 0002 got (statements done); the history note is: $(sql "SELECT note FROM $(history_table) WHERE version = '2'")"
    st status
    expect_out "statement"
}

# ---- 6. the server goes away ------------------------------------------------------

test_pg_server_stopped_under_a_waiting_runner() {
    SF_PG_TOUCHED=1
    mig 0001_hold.sql <<'SQL'
CREATE TABLE hold (id integer PRIMARY KEY);
SELECT pg_sleep(5);
SQL
    sf_bg a "$STRATA" --url "$DBURL" migrate
    local pa=$BG
    pg_wait_active 'SELECT pg_sleep(5)%'
    sf_bg b "$STRATA" --url "$DBURL" migrate
    local pb=$BG
    sleep 0.7  # B is connected and polling for the lock
    kill -0 "$pb" 2>/dev/null || sf_fail_bg b "runner B should be waiting for the lock"
    sf_pg_stop
    sf_reap "$pb" b 10
    case "$WRC" in
        4 | 5) ;;
        *) sf_fail_bg b "runner B: expected exit 4 or 5 after the server stopped, got $WRC" ;;
    esac
    grep -qiE 'server|connection' "$T/b.err" || sf_fail_bg b "runner B should name the lost connection"
    sf_reap "$pa" a 10
    case "$WRC" in
        4 | 5) ;;
        *) sf_fail_bg a "runner A: expected exit 4 or 5 after the server stopped, got $WRC" ;;
    esac
    grep -qiE 'server|connection' "$T/a.err" || sf_fail_bg a "runner A should name the lost connection"
    sf_pg_start
    ! table_exists hold || fail "A's migration must be rolled back by the crash"
    [ "$(sf_hist_count)" = 0 ] || fail "nothing may be recorded"
    st status --json
    expect_rc 0
    [ "$(json_get '.migrations[0].state')" = pending ] || fail "0001 should be pending"
}

test_pg_wait_flag_retries_until_the_server_is_up() {
    SF_PG_TOUCHED=1
    mig 0001_a.sql <<'SQL'
CREATE TABLE a (id integer PRIMARY KEY);
SQL
    local t0
    sf_pg_stop
    t0=$(sf_now_ms)
    st status
    expect_rc 4
    expect_err "cannot connect"
    [ $(( $(sf_now_ms) - t0 )) -lt 2000 ] || fail "without --wait it must fail at once"
    t0=$(sf_now_ms)
    st wait --wait 1s
    expect_rc 4
    [ $(( $(sf_now_ms) - t0 )) -ge 900 ] || fail "wait --wait 1s should keep trying for 1 s"
    [ $(( $(sf_now_ms) - t0 )) -lt 5000 ] || fail "wait --wait 1s should give up after about 1 s"

    sf_bg restart bash -c "sleep 3; $(declare -f sf_pgctl sf_pg_running sf_pg_start); sf_pg_start"
    local pr=$BG
    t0=$(sf_now_ms)
    st status --wait 20s
    local took=$(( $(sf_now_ms) - t0 ))
    expect_rc 0
    expect_out "pending"
    [ "$took" -ge 2500 ] || fail "status --wait returned after $took ms, before the server was up"
    [ "$took" -lt 12000 ] || fail "status --wait took $took ms for a server up after 3 s"
    sf_reap "$pr" restart 60
    [ "$WRC" = 0 ] || sf_fail_bg restart "the server restart failed"

    st migrate --wait 5s
    expect_rc 0
    table_exists a || fail "a should exist"
}

test_both_wait_for_version() {
    mig 0001_a.sql <<'SQL'
CREATE TABLE a (id integer PRIMARY KEY);
SQL
    mig 0002_b.sql <<'SQL'
CREATE TABLE b (id integer PRIMARY KEY);
SQL
    mig 0003_c.sql <<'SQL'
CREATE TABLE c (id integer PRIMARY KEY);
SQL
    local t0
    st wait
    expect_rc 0

    st migrate --to 1
    expect_rc 0
    t0=$(sf_now_ms)
    st wait --for-version 2 --wait 1s
    expect_rc 6
    [ $(( $(sf_now_ms) - t0 )) -ge 900 ] || fail "wait --wait 1s gave up before 1 s"
    [ $(( $(sf_now_ms) - t0 )) -lt 5000 ] || fail "wait --wait 1s took far longer than 1 s"
    st wait --for-version 1 --wait 1s
    expect_rc 0

    st migrate --to 2
    expect_rc 0
    t0=$(sf_now_ms)
    st wait --for-version 2
    expect_rc 0
    [ $(( $(sf_now_ms) - t0 )) -lt 2000 ] || fail "wait should return at once when 2 is applied"

    # an application container: no migrations folder at all
    mv migrations elsewhere
    st wait --for-version 1 --wait 5s
    expect_rc 0
    st wait --for-version 2 --wait 5s
    expect_rc 0
    st wait --for-version 3 --wait 1s
    expect_rc 6
    ! table_exists c || fail "wait must not migrate anything"
}

test_pg_wait_for_version_while_a_runner_migrates() {
    mig 0001_a.sql <<'SQL'
CREATE TABLE a (id integer PRIMARY KEY);
SQL
    mig 0002_b.sql <<'SQL'
CREATE TABLE b (id integer PRIMARY KEY);
SELECT pg_sleep(1);
SQL
    mig 0003_c.sql <<'SQL'
CREATE TABLE c (id integer PRIMARY KEY);
SELECT pg_sleep(1);
SQL
    local t0
    t0=$(sf_now_ms)
    sf_bg waiter "$STRATA" --url "$DBURL" wait --for-version 3 --wait 20s
    local pw=$BG
    sleep 0.5
    sf_bg runner "$STRATA" --url "$DBURL" migrate
    local pm=$BG
    sf_reap "$pw" waiter 25
    local rc=$WRC took=$(( $(sf_now_ms) - t0 ))
    # what the waiter saw must be true: 3 is committed
    [ "$(sf_hist_count "version = '3' AND success")" = 1 ] || fail "wait returned before 0003 was applied"
    [ "$rc" = 0 ] || sf_fail_bg waiter "wait --for-version 3 exited $rc"
    [ "$took" -ge 2000 ] || sf_fail_bg waiter "wait returned after $took ms, before the migrations could have run"
    sf_reap "$pm" runner 20
    [ "$WRC" = 0 ] || sf_fail_bg runner "the runner exited $WRC"
}

# ---- 7. hooks and SQL callbacks ---------------------------------------------------

# sf_hook_url: a URL with a password on PostgreSQL (strata_pw may create in this
# database), $DBURL on SQLite
sf_hook_url() {
    if [ "$DRIVER" = postgres ]; then
        sql "GRANT CREATE ON DATABASE $DBNAME TO strata_pw; GRANT CREATE ON SCHEMA public TO strata_pw" >/dev/null
        echo "${STRATA_TEST_PG_PW_URL%/*}/$DBNAME"
    else
        echo "$DBURL"
    fi
}

test_both_hook_commands_see_each_step() {
    local url redacted l dur
    url=$(sf_hook_url)
    if [ "$DRIVER" = postgres ]; then
        redacted="postgresql://strata_pw:****@127.0.0.1:$STRATA_TEST_PG_PORT/$DBNAME"
    else
        redacted=$url
    fi
    # one script for every hook (each line of strata.conf stays short)
    cat > hook.sh <<SH
#!/bin/sh
line="\$STRATA_HOOK|\$STRATA_VERSION|\$STRATA_NAME|\$STRATA_OUTCOME|\$STRATA_DURATION_MS|\$STRATA_DATABASE_URL"
[ "\$STRATA_HOOK" = on_error ] && line="\$line|\$STRATA_ERROR"
echo "\$line" >> $T/hooks.log
env > "$T/env.\$STRATA_HOOK\$STRATA_VERSION"
SH
    cat > strata.conf <<CONF
[hooks]
before_migrate = sh $T/hook.sh
after_each = sh $T/hook.sh
after_migrate = sh $T/hook.sh
on_error = sh $T/hook.sh
CONF
    mig 0001_a.sql <<'SQL'
CREATE TABLE a (id integer PRIMARY KEY);
SQL
    mig 0002_b.sql <<'SQL'
CREATE TABLE b (id integer PRIMARY KEY);
SQL
    # the URL from the environment: the hooks must get neither it nor its password
    DATABASE_URL=$url raw migrate
    expect_rc 0
    table_exists a || fail "0001 should be applied"
    table_exists b || fail "0002 should be applied"
    OUT=$(cat hooks.log)
    [ "$(wc -l < hooks.log)" = 4 ] || fail "expected 4 hook lines"
    [ "$(sed -n 1p hooks.log)" = "before_migrate|||pending||$redacted" ] || fail "line 1: before_migrate"
    l=$(sed -n 2p hooks.log)
    dur=$(cut -d'|' -f5 <<<"$l")
    [[ "$dur" =~ ^[0-9]+$ ]] || fail "line 2: STRATA_DURATION_MS '$dur' is not a number"
    [ "$l" = "after_each|1|a|success|$dur|$redacted" ] || fail "line 2: after_each of 0001"
    l=$(sed -n 3p hooks.log)
    dur=$(cut -d'|' -f5 <<<"$l")
    [[ "$dur" =~ ^[0-9]+$ ]] || fail "line 3: STRATA_DURATION_MS '$dur' is not a number"
    [ "$l" = "after_each|2|b|success|$dur|$redacted" ] || fail "line 3: after_each of 0002"
    [ "$(sed -n 4p hooks.log)" = "after_migrate|||success||$redacted" ] || fail "line 4: after_migrate"
    ! grep -q 'sekret' hooks.log env.* || fail "a hook saw the password"
    ! grep -q '^DATABASE_URL=' env.* || fail "a hook got DATABASE_URL"
    grep -qxF "STRATA_DATABASE_URL=$redacted" env.after_each1 || fail "STRATA_DATABASE_URL should be the redacted URL"

    # on_error gets the error; after_migrate does not run
    mig 0003_bad.sql <<'SQL'
SELECT * FROM nonexistent_table;
SQL
    : > hooks.log
    DATABASE_URL=$url raw migrate
    expect_rc 5
    OUT=$(cat hooks.log)
    [ "$(wc -l < hooks.log)" = 2 ] || fail "expected before_migrate and on_error"
    [ "$(sed -n 1p hooks.log)" = "before_migrate|||pending||$redacted" ] || fail "before_migrate line"
    grep -qE "^on_error\|3\|bad\|failed\|[0-9]*\|.*\|.*nonexistent_table" <(sed -n 2p hooks.log) ||
        fail "on_error should name 0003 and carry STRATA_ERROR"
    ! grep -q 'sekret' hooks.log env.* || fail "a hook saw the password"

    # --no-hooks: none run
    : > hooks.log
    DATABASE_URL=$url raw migrate --no-hooks
    expect_rc 5
    [ ! -s hooks.log ] || { OUT=$(cat hooks.log); fail "--no-hooks ran hooks"; }
}

# A hook command may be long (a deploy notification with a URL and a JSON
# body): strata.conf lines longer than 200 bytes must be read whole.
test_long_hook_command_in_config() {
    # libinih reads lines of at most 199 bytes: a longer one is refused with a
    # clear message naming the line (it used to be misread as two lines)
    local word
    word=$(printf 'abcdefghij%.0s' $(seq 1 25))  # 250 bytes
    printf '[hooks]\nbefore_migrate = echo %s > %s/long.out\n' "$word" "$T" > strata.conf
    mig 0001_a.sql <<'SQL'
CREATE TABLE a (id integer PRIMARY KEY);
SQL
    st migrate
    expect_rc 3
    expect_err "strata.conf:2"
    expect_err "at most 199"
    ! table_exists a || fail "nothing may run with a config that cannot be read"
    # the way out the hint gives: a script
    printf 'echo %s > %s/long.out\n' "$word" "$T" > hook.sh
    printf '[hooks]\nbefore_migrate = sh %s/hook.sh\n' "$T" > strata.conf
    st migrate
    expect_rc 0
    [ "$(cat long.out)" = "$word" ] || fail "the hook script should have written its 250 bytes"
}

test_both_failing_before_migrate_hook_changes_nothing() {
    cat > strata.conf <<'CONF'
[hooks]
before_migrate = exit 3
CONF
    mig 0001_a.sql <<'SQL'
CREATE TABLE a (id integer PRIMARY KEY);
SQL
    st migrate
    expect_rc 5
    expect_err "before_migrate"
    ! table_exists a || fail "no migration may run"
    ! table_exists "$(history_table)" || fail "the history table must not be created"
    if [ "$DRIVER" = postgres ]; then
        [ "$(sql "SELECT count(*) FROM pg_namespace WHERE nspname = 'strata'")" = 0 ] ||
            fail "the strata schema must not be created"
    fi
    st migrate --no-hooks
    expect_rc 0
    table_exists a || fail "--no-hooks should skip the failing hook"
}

test_both_sql_callbacks() {
    mig callbacks/before_migrate.sql <<'SQL'
CREATE TABLE IF NOT EXISTS cb_log (what text NOT NULL);
INSERT INTO cb_log VALUES ('before');
SQL
    mig callbacks/after_each.sql <<'SQL'
INSERT INTO cb_log VALUES ('each');
SQL
    mig callbacks/after_migrate.sql <<'SQL'
INSERT INTO cb_log VALUES ('after');
SQL
    mig 0001_a.sql <<'SQL'
CREATE TABLE a (id integer PRIMARY KEY);
SQL
    mig 0002_b.sql <<'SQL'
CREATE TABLE b (id integer PRIMARY KEY);
SQL
    cb() { sql "SELECT count(*) FROM cb_log WHERE what = '$1'"; }
    st migrate
    expect_rc 0
    expect_out "applied 2 migrations"
    [ "$(cb before)/$(cb each)/$(cb after)" = 1/2/1 ] || fail "callbacks: expected 1/2/1, got $(cb before)/$(cb each)/$(cb after)"

    st migrate  # nothing pending: no callbacks
    expect_rc 0
    [ "$(cb before)/$(cb each)/$(cb after)" = 1/2/1 ] || fail "a migrate with nothing to do ran callbacks"

    mig 0003_c.sql <<'SQL'
CREATE TABLE c (id integer PRIMARY KEY);
SQL
    st migrate
    expect_rc 0
    [ "$(cb before)/$(cb each)/$(cb after)" = 2/3/2 ] || fail "callbacks: expected 2/3/2, got $(cb before)/$(cb each)/$(cb after)"

    # a failing step: its after_each row goes with it, after_migrate.sql does not run
    mig 0004_bad.sql <<'SQL'
INSERT INTO nonexistent_table VALUES (1);
SQL
    st migrate
    expect_rc 5
    [ "$(cb each)/$(cb after)" = 3/2 ] || fail "after a failed step: expected each/after 3/2, got $(cb each)/$(cb after)"
    rm migrations/0004_bad.sql
    local before
    before="$(cb before)/$(cb each)/$(cb after)"

    # --no-hooks skips callbacks/*.sql too (migrate --help: "skip [hooks]
    # commands and callbacks/*.sql")
    mig 0005_d.sql <<'SQL'
CREATE TABLE d (id integer PRIMARY KEY);
SQL
    st migrate --no-hooks
    expect_rc 0
    table_exists d || fail "d should exist"
    [ "$(cb before)/$(cb each)/$(cb after)" = "$before" ] ||
        fail "--no-hooks must skip callbacks/*.sql: before/each/after went from $before to $(cb before)/$(cb each)/$(cb after)"
}

# ---- 8. statement timeouts ----------------------------------------------------------

sf_slow_migration() {
    mig 0001_slow.sql <<'SQL'
CREATE TABLE slow_t (id integer PRIMARY KEY);
SELECT pg_sleep(3);
SQL
}

sf_expect_timed_out() {
    expect_rc 5
    expect_err "statement timeout"
    [ "$1" -lt 2500 ] || fail "the 1 s timeout took $1 ms"
    ! table_exists slow_t || fail "slow_t must be rolled back"
    [ "$(sf_hist_count)" = 0 ] || fail "nothing may be recorded"
}

test_pg_statement_timeout_flag() {
    sf_slow_migration
    local t0
    t0=$(sf_now_ms)
    st migrate --statement-timeout 1s
    sf_expect_timed_out $(( $(sf_now_ms) - t0 ))
    st migrate --statement-timeout 10s
    expect_rc 0
    table_exists slow_t || fail "with 10 s it should pass"
}

test_pg_statement_timeout_config_and_directive() {
    printf '[migrations]\nstatement_timeout = 1s\n' > strata.conf
    sf_slow_migration
    local t0
    t0=$(sf_now_ms)
    st migrate
    sf_expect_timed_out $(( $(sf_now_ms) - t0 ))

    # -- strata:timeout wins over the config for its own file only
    mig 0001_slow.sql <<'SQL'
-- strata:timeout 5s
CREATE TABLE slow_t (id integer PRIMARY KEY);
SELECT pg_sleep(2);
SQL
    mig 0002_slow_too.sql <<'SQL'
CREATE TABLE slow_too (id integer PRIMARY KEY);
SELECT pg_sleep(2);
SQL
    st migrate
    expect_rc 5
    expect_err "0002_slow_too.sql"
    table_exists slow_t || fail "0001 (timeout 5s) should pass"
    ! table_exists slow_too || fail "0002 should hit the 1 s config timeout"
    [ "$(sf_hist_count)" = 1 ] || fail "only 0001 recorded"
}

test_statement_timeout_sqlite() {
    mig 0001_slow.sql <<'SQL'
CREATE TABLE slow_t (id integer PRIMARY KEY);
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c;
SQL
    local t0
    t0=$(sf_now_ms)
    st migrate --statement-timeout 1s
    sf_expect_timed_out $(( $(sf_now_ms) - t0 ))
}
