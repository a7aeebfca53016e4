# test_errors.sh: what strata does when things go wrong: failing SQL (file,
# line, statement, rollback), history and files disagreeing (changed,
# missing, out of order, failed no-transaction steps), bad folders, bad
# command lines and bad config. Each test checks the exit code, the message
# and that the database is as it should be afterwards.

hist_count() {
    sql "SELECT count(*) FROM $(history_table) ${1:+WHERE $1}"
}

hist_versions() {
    sql "SELECT coalesce(version, 'R') || ':' || kind FROM $(history_table) ORDER BY rank" | paste -sd' ' -
}

state_of() {
    st status --json
    expect_rc 0
    jq -r --arg v "$1" '.migrations[] | select(.version == $v) | .state' <<<"$OUT"
}

# ---- a failing statement ------------------------------------------------------

test_both_error_in_third_statement() {
    mig 0001_first.sql <<'SQL'
CREATE TABLE first (x integer);
SQL
    mig 0002_second.sql <<'SQL'
CREATE TABLE second (x integer);
SQL
    mig 0003_broken.sql <<'SQL'
-- strata:up
-- three statements; the third is wrong
CREATE TABLE s1 (x integer);
INSERT INTO s1 (x) VALUES (1);

CREATE TABLE s3 (
    a integer,
    b integer NOT NULLL,
    c text
);
-- strata:down
DROP TABLE s1;
SQL
    mig 0004_after.sql <<'SQL'
CREATE TABLE after_broken (x integer);
SQL
    st migrate
    expect_rc 5
    expect_err "migrations/0003_broken.sql:8"
    expect_err "NULLL"
    expect_err "statement: CREATE TABLE s3 ( a integer, b integer NOT NULLL, c text )"
    expect_err "rolled back"
    expect_out "applying 3 broken ... FAILED"
    # the failing migration's own statements are rolled back ...
    ! table_exists s1 || fail "statement 1 of the failed migration stayed"
    ! table_exists s3 || fail "s3 exists"
    # ... the earlier migrations of the same run stay applied, later ones did not run
    table_exists first || fail "0001 undone"
    table_exists second || fail "0002 undone"
    ! table_exists after_broken || fail "0004 ran after a failure"
    [ "$(hist_versions)" = "1:versioned 2:versioned" ] || fail "history: $(hist_versions)"
    [ "$(state_of 3)" = pending ] || fail "0003 should be pending"

    # --json reports the same error as data
    st migrate --json
    expect_rc 5
    [ "$(json_get .ok)" = false ] || fail "ok should be false"
    [ "$(json_get .error.line)" = 8 ] || fail "json line: $(json_get .error.line)"
    [ "$(json_get .error.code)" = 5 ] || fail "json code"
    json_get .error.file | grep -q '0003_broken.sql$' || fail "json file: $(json_get .error.file)"

    # fixed, the run goes on from 0003
    sed -i 's/NULLL/NULL/' migrations/0003_broken.sql
    st migrate
    expect_rc 0
    expect_out "applied 2 migrations"
    [ "$(sql "SELECT x FROM s1")" = 1 ] || fail "s1 row"
}

test_both_error_line_after_quotes_and_comments() {
    # semicolons inside strings and comments do not split statements, and
    # multi-line strings and comments count their lines
    mig 0001_tricky.sql <<'SQL'
-- a comment; with a semicolon
/* a block ; comment
   over two lines */
CREATE TABLE s1 (x text DEFAULT 'a;b');
INSERT INTO s1 (x) VALUES ('it''s; here
and on the next line');
SELECT x FROM missing_table;
SQL
    st migrate
    expect_rc 5
    expect_err "migrations/0001_tricky.sql:7"
    expect_err "missing_table"
    ! table_exists s1 || fail "not rolled back"
}

test_both_error_line_crlf() {
    printf 'CREATE TABLE c1 (x integer);\r\nCREATE TABLE c2 (x integer);\r\n\r\nSELECT * FROM nope;\r\n' \
        > migrations/0001_crlf.sql
    st migrate
    expect_rc 5
    expect_err "migrations/0001_crlf.sql:4"
    ! table_exists c1 || fail "not rolled back"
}

test_pg_error_line_after_dollar_quotes() {
    mig 0001_fn.sql <<'SQL'
CREATE TABLE t (x integer);
CREATE FUNCTION bump() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
  NEW.x := NEW.x + 1; -- a ; in a comment
  RETURN NEW;
END;
$body$;
DO $$ BEGIN PERFORM 1; END $$;
SELECT 'x' || no_such_column FROM t;
SQL
    st migrate
    expect_rc 5
    expect_err "migrations/0001_fn.sql:9"
    expect_err "no_such_column"
    expect_err "sqlstate: 42703"
    [ "$(sql "SELECT count(*) FROM pg_proc WHERE proname = 'bump'")" = 0 ] || fail "function survived rollback"
}

test_error_line_sqlite_trigger() {
    # a trigger body holds semicolons: it is one statement
    mig 0001_trig.sql <<'SQL'
CREATE TABLE t (x integer);
CREATE TABLE log (x integer);
CREATE TRIGGER t_log AFTER INSERT ON t BEGIN
  INSERT INTO log VALUES (NEW.x);
  INSERT INTO log VALUES (NEW.x + 1);
END;
INSERT INTO t VALUES (1);
SELECT no_such_column FROM t;
SQL
    st migrate
    expect_rc 5
    expect_err "migrations/0001_trig.sql:8"
    ! table_exists t || fail "not rolled back"
    sed -i '$d' migrations/0001_trig.sql
    st migrate
    expect_rc 0
    [ "$(sql "SELECT count(*) FROM log")" = 2 ] || fail "trigger did not run both inserts"
}

test_both_error_in_down() {
    mig 0001_a.sql <<'SQL'
-- strata:up
CREATE TABLE a (x integer);
-- strata:down
DELETE FROM a;
DROP TABLE no_such_table;
SQL
    st migrate
    expect_rc 0
    sql "INSERT INTO a (x) VALUES (7)"
    st down
    expect_rc 5
    expect_err "migrations/0001_a.sql:5"
    [ "$(sql "SELECT x FROM a")" = 7 ] || fail "down not rolled back"
    [ "$(state_of 1)" = applied ] || fail "still applied after a failed down"
    [ "$(hist_count "kind = 'undo'")" = 0 ] || fail "undo row for a failed down"
}

# ---- history and files disagree ------------------------------------------------

test_both_changed_file_refused() {
    mig 0001_a.sql <<'SQL'
CREATE TABLE a (x integer);
SQL
    st migrate
    expect_rc 0
    echo "-- an edit after the fact" >> migrations/0001_a.sql
    mig 0002_b.sql <<'SQL'
CREATE TABLE b (x integer);
SQL
    [ "$(state_of 1)" = changed ] || fail "state should be changed"
    st migrate
    expect_rc 7
    expect_err "0001_a.sql"
    expect_err "changed"
    ! table_exists b || fail "0002 ran although the run was refused"
    st migrate --dry-run
    expect_rc 7
    st plan
    expect_rc 7
    st migrate --allow-changed
    expect_rc 0
    expect_out "applied 1 migration"
    table_exists b || fail "--allow-changed did not go on"
    # the recorded checksum is not touched by --allow-changed
    [ "$(state_of 1)" = changed ] || fail "--allow-changed should not realign"
}

test_both_crlf_does_not_count_as_change() {
    printf 'CREATE TABLE a (x integer);\nCREATE TABLE b (x integer);\n' > migrations/0001_a.sql
    st migrate
    expect_rc 0
    # a checkout with CRLF line endings is the same migration
    printf 'CREATE TABLE a (x integer);\r\nCREATE TABLE b (x integer);\r\n' > migrations/0001_a.sql
    [ "$(state_of 1)" = applied ] || fail "CRLF copy counted as changed"
    st verify
    expect_rc 0
}

test_both_missing_file_refused() {
    mig 0001_a.sql <<'SQL'
CREATE TABLE a (x integer);
SQL
    mig 0002_b.sql <<'SQL'
CREATE TABLE b (x integer);
SQL
    st migrate
    expect_rc 0
    rm migrations/0001_a.sql
    mig 0003_c.sql <<'SQL'
CREATE TABLE c (x integer);
SQL
    [ "$(state_of 1)" = missing ] || fail "state should be missing"
    st migrate
    expect_rc 7
    expect_err "0001_a.sql"
    expect_err "missing"
    ! table_exists c || fail "0003 ran although refused"
    st migrate --allow-missing
    expect_rc 0
    expect_out "applied 1 migration"
    table_exists c || fail "--allow-missing did not go on"
    [ "$(state_of 1)" = missing ] || fail "still missing"
    # repair forgets it; then migrate needs no flag
    st repair
    expect_rc 0
    expect_out "done: 1 a: forget"
    st status --json
    [ "$(json_get '[.migrations[] | select(.version == "1")] | length')" = 0 ] ||
        fail "a forgotten migration is still listed"
    [ "$(hist_count "kind = 'deleted' AND version = '1'")" = 1 ] || fail "no deleted row"
    mig 0004_d.sql <<'SQL'
CREATE TABLE d (x integer);
SQL
    st migrate
    expect_rc 0
    table_exists d || fail "d missing"
}

test_both_duplicate_version() {
    mig 1_a.sql <<'SQL'
CREATE TABLE a (x integer);
SQL
    mig 001_b.sql <<'SQL'
CREATE TABLE b (x integer);
SQL
    st migrate
    expect_rc 3
    expect_err "1_a.sql"
    expect_err "001_b.sql"
    expect_err "same version"
    ! table_exists a || fail "a applied"
    ! table_exists b || fail "b applied"
    st status
    expect_rc 3
}

test_both_duplicate_version_flyway() {
    # Flyway: 1.0 is 1
    mig V1__a.sql <<'SQL'
CREATE TABLE a (x integer);
SQL
    mig V1.0__b.sql <<'SQL'
CREATE TABLE b (x integer);
SQL
    st migrate
    expect_rc 3
    expect_err "V1__a.sql"
    expect_err "V1.0__b.sql"
    ! table_exists a || fail "a applied"
}

test_both_bad_file_name() {
    mig 0001_a.sql <<'SQL'
CREATE TABLE a (x integer);
SQL
    mig 0002-b.sql <<'SQL'
CREATE TABLE b (x integer);
SQL
    st migrate
    expect_rc 3
    expect_err "0002-b.sql"
    expect_err "NNNN_name.sql"
    ! table_exists a || fail "a applied from a folder with a bad name in it"
    # files that are not .sql are not migrations
    rm migrations/0002-b.sql
    echo "notes" > migrations/README.md
    st migrate
    expect_rc 0
}

test_bad_file_name_other_formats() {
    mig V1__a.sql <<'SQL'
CREATE TABLE a (x integer);
SQL
    mig Vx__b.sql <<'SQL'
SELECT 1;
SQL
    st status
    expect_rc 3
    expect_err "Vx__b.sql"
    expect_err "V<version>__<description>.sql"
    rm migrations/*.sql
    mig 1_a.up.sql <<'SQL'
CREATE TABLE a (x integer);
SQL
    mig 2_b.sql <<'SQL'
SELECT 1;
SQL
    st status
    expect_rc 3
    expect_err "2_b.sql"
    expect_err "NNN_name.up.sql"
    rm migrations/2_b.sql
    mig 3_c.down.sql <<'SQL'
SELECT 1;
SQL
    st status
    expect_rc 3
    expect_err "3_c.down.sql"
    rm migrations/*
    mig 2024-01-01_x/up.sql <<'SQL'
SELECT 1;
SQL
    mig notes/up.sql <<'SQL'
SELECT 1;
SQL
    st status
    expect_rc 3
    expect_err "notes"
}

test_both_down_without_script() {
    mig 0001_a.sql <<'SQL'
-- strata:up
CREATE TABLE a (x integer);
-- strata:down
DROP TABLE a;
SQL
    mig 0002_b.sql <<'SQL'
CREATE TABLE b (x integer);
SQL
    mig 0003_c.sql <<'SQL'
-- strata:up
CREATE TABLE c (x integer);
-- strata:down
-- (nothing to undo, on purpose)
SQL
    st migrate
    expect_rc 0
    # 0003's down section is only a comment: that is no down script
    st down
    expect_rc 7
    expect_err "0003_c.sql"
    expect_err "nothing was undone"
    table_exists c || fail "c dropped"
    # --steps 3 would need 0002's (missing) down: refused as a whole
    st down --steps 3
    expect_rc 7
    expect_err "0002_b.sql"
    table_exists a || fail "0001 undone although the run was refused"
    [ "$(hist_count "kind = 'undo'")" = 0 ] || fail "undo rows written"
}

test_both_out_of_order() {
    mig 0001_a.sql <<'SQL'
CREATE TABLE a (x integer);
SQL
    mig 0003_c.sql <<'SQL'
CREATE TABLE c (x integer);
SQL
    st migrate
    expect_rc 0
    # a branch merged late brings version 2
    mig 0002_b.sql <<'SQL'
CREATE TABLE b (x integer);
SQL
    mig 0004_d.sql <<'SQL'
CREATE TABLE d (x integer);
SQL
    [ "$(state_of 2)" = out-of-order ] || fail "state should be out-of-order"
    st migrate
    expect_rc 7
    expect_err "0002_b.sql"
    expect_err "--allow-out-of-order"
    ! table_exists b || fail "b applied"
    ! table_exists d || fail "d applied although the run was refused"
    st migrate --allow-out-of-order
    expect_rc 0
    expect_out "applied 2 migrations"
    table_exists b || fail "b not applied"
    table_exists d || fail "d not applied"
    [ "$(hist_versions)" = "1:versioned 3:versioned 2:versioned 4:versioned" ] || fail "history: $(hist_versions)"
    [ "$(state_of 2)" = applied ] || fail "2 should be applied"
}

test_both_failed_no_transaction_needs_repair() {
    mig 0001_a.sql <<'SQL'
CREATE TABLE a (x integer);
SQL
    mig 0002_half.sql <<'SQL'
-- strata:no-transaction
CREATE TABLE half (x integer);
INSERT INTO nope (x) VALUES (1);
SQL
    mig 0003_c.sql <<'SQL'
CREATE TABLE c (x integer);
SQL
    st migrate
    expect_rc 5
    expect_err "migrations/0002_half.sql:3"
    expect_err "no transaction"
    expect_err "repair"
    # outside a transaction the first statement stays
    table_exists half || fail "statement 1 of a no-transaction step should stay"
    ! table_exists c || fail "0003 ran after a failure"
    [ "$(state_of 2)" = failed ] || fail "status should show failed"
    [ "$(hist_count "version = '2' AND NOT success")" = 1 ] ||
        fail "a failed row should be recorded"
    st status
    expect_out "1 failed"
    st verify
    expect_rc 1
    # migrate refuses until repair
    st migrate
    expect_rc 7
    expect_err "0002_half.sql"
    expect_err "strata repair"
    ! table_exists c || fail "ran although refused"
    # fix by hand, and fix the file
    sql "DROP TABLE half"
    cat > migrations/0002_half.sql <<'SQL'
-- strata:no-transaction
CREATE TABLE half (x integer);
CREATE TABLE nope (x integer);
INSERT INTO nope (x) VALUES (1);
SQL
    st repair --dry-run
    expect_rc 0
    expect_out "would 2 half"
    [ "$(state_of 2)" = failed ] || fail "repair --dry-run changed something"
    st repair
    expect_rc 0
    expect_out "done: 2 half: drop the failed attempt"
    [ "$(state_of 2)" = pending ] || fail "repair should clear the failed entry"
    st migrate
    expect_rc 0
    expect_out "applied 2 migrations"
    [ "$(sql "SELECT count(*) FROM nope")" = 1 ] || fail "fixed step did not run"
    table_exists c || fail "0003 missing"
    st verify
    expect_rc 0
}

# ---- lock ------------------------------------------------------------------------

test_sqlite_lock_timeout() {
    mig 0001_a.sql <<'SQL'
CREATE TABLE a (x integer);
SQL
    touch "$T/test.db"
    # another runner holds the lock (strata's run lock is flock on the file)
    flock -x "$T/test.db" sleep 5 &
    local holder=$!
    sleep 0.3
    st migrate --lock-wait 300ms
    kill "$holder" 2>/dev/null || true
    wait "$holder" 2>/dev/null || true
    expect_rc 6
    expect_err "lock"
    ! table_exists a || fail "ran without the lock"
    st migrate
    expect_rc 0
}

test_pg_lock_timeout() {
    mig 0001_slow.sql <<'SQL'
SELECT pg_sleep(2);
SQL
    "$STRATA" --url "$DBURL" -q migrate >/dev/null 2>&1 &
    local holder=$!
    # wait until the first runner is inside its step
    pg_wait_active 'SELECT pg_sleep(2)%'
    st migrate --lock-wait 300ms
    wait "$holder" || fail "the first runner failed"
    expect_rc 6
    expect_err "lock"
    [ "$(hist_count)" = 1 ] || fail "history: $(hist_count) rows"
}

# ---- command line and config ---------------------------------------------------------

test_both_usage_errors() {
    st --no-such-option status
    expect_rc 2
    expect_err "--no-such-option"
    st status --no-such-option
    expect_rc 2
    st migrate --steps 2
    expect_rc 2
    expect_err "--steps"
    st frobnicate
    expect_rc 2
    expect_err "frobnicate"
    st down --steps zero
    expect_rc 2
    st down --steps 1 --to 1
    expect_rc 2
    st migrate --lock-wait forever
    expect_rc 2
    st migrate --to
    expect_rc 2
    st status extra-argument
    expect_rc 2
    raw
    expect_rc 2
    # none of that touched the database
    if [ "$DRIVER" = postgres ]; then
        [ "$(sql "SELECT count(*) FROM pg_namespace WHERE nspname = 'strata'")" = 0 ] || fail "schema created"
    else
        [ ! -e "$T/test.db" ] || [ "$(sql "SELECT count(*) FROM sqlite_master")" = 0 ] || fail "tables created"
    fi
}

test_migrate_to_unknown_version() {
    mig 0001_a.sql <<'SQL'
CREATE TABLE a (x integer);
SQL
    st migrate --to 7
    expect_rc 3
    expect_err "--to 7"
    ! table_exists a || fail "applied"
}

test_bad_config_key() {
    printf '[database]\nurl = sqlite:x.db\n\n[migrations]\ndir = migrations\nformatt = native\n' > strata.conf
    raw status
    expect_rc 3
    expect_err "strata.conf:6"
    expect_err "formatt"
    # a key that belongs to another section
    printf '[migrations]\nurl = sqlite:x.db\n' > strata.conf
    raw status
    expect_rc 3
    expect_err "strata.conf:2"
    expect_err "url"
    # a line that is not INI
    printf '[database]\nthis is not ini\n' > strata.conf
    raw status
    expect_rc 3
    expect_err "strata.conf:2"
    # --config names the file in the message
    mkdir -p conf
    printf '[database]\nuser = me\n' > conf/other.conf
    raw --config conf/other.conf status
    expect_rc 3
    expect_err "conf/other.conf:2"
    expect_err "user"
    raw --config conf/none.conf status
    expect_rc 3
    expect_err "conf/none.conf"
}

test_bad_config_section() {
    printf '# settings\n[databse]\nurl = sqlite:x.db\n' > strata.conf
    raw status
    expect_rc 3
    expect_err "strata.conf:"
    expect_err "databse"
}

test_env_without_section() {
    printf '[database]\nurl = sqlite:x.db\n\n[env "prod"]\nurl = sqlite:prod.db\n' > strata.conf
    raw --env dev status
    expect_rc 3
    expect_err 'env "dev"'
    expect_err "strata.conf"
    STRATA_ENV=staging raw status
    expect_rc 3
    expect_err 'env "staging"'
    # no strata.conf at all
    rm strata.conf
    raw --env dev status
    expect_rc 3
    expect_err 'env "dev"'
    # DATABASE_URL stands in for the section
    DATABASE_URL=$DBURL raw --env dev status
    expect_rc 0
    [ ! -e x.db ] && [ ! -e prod.db ] || fail "a config database was opened"
}

test_missing_migrations_folder() {
    rmdir migrations
    st status
    expect_rc 3
    expect_err "migrations"
    expect_err "strata init"
    st --migrations nowhere migrate
    expect_rc 3
    expect_err "nowhere"
}

test_pg_concurrent_migrate_waits_and_applies_once() {
    mig 0001_slow.sql <<'SQL'
CREATE TABLE once (x integer);
INSERT INTO once (x) VALUES (1);
SELECT pg_sleep(1.5);
SQL
    "$STRATA" --url "$DBURL" -q migrate >"$T/bg.out" 2>&1 &
    local first=$!
    pg_wait_active 'SELECT pg_sleep(1.5)%'
    # the second runner waits for the lock, then finds nothing to do
    st migrate
    wait "$first" || { cat "$T/bg.out" >&2; fail "the first runner failed"; }
    expect_rc 0
    expect_out "nothing to migrate"
    [ "$(sql "SELECT count(*) FROM once")" = 1 ] || fail "applied twice"
    [ "$(hist_count)" = 1 ] || fail "history rows: $(hist_count)"
}

# The files are read on a thread while the runner connects and locks; a runner
# that would wait for the lock first says what is wrong with its files.
test_pg_bad_files_reported_before_the_lock_wait() {
    mig 0001_slow.sql <<'SQL'
SELECT pg_sleep(4);
SQL
    mkdir -p other
    printf 'CREATE TABLE a (x integer);\n' > other/0001_a.sql
    printf 'CREATE TABLE b (x integer);\n' > other/0001_b.sql
    "$STRATA" --url "$DBURL" -q migrate >"$T/bg.out" 2>&1 &
    local first=$!
    pg_wait_active 'SELECT pg_sleep(4)%'
    st --migrations other down --lock-wait 60s
    kill -0 "$first" 2>/dev/null || fail "the second runner waited for the lock before reporting its files"
    expect_rc 3
    expect_err "0001"
    expect_no_err "lock"
    wait "$first" || { cat "$T/bg.out" >&2; fail "the first runner failed"; }
    ! table_exists a || fail "the bad folder was applied"
}

# Many drifted files: the error names the first ten and counts the rest.
test_drift_error_names_ten_files() {
    for i in $(seq -w 1 12); do
        printf 'CREATE TABLE t%s (x integer);\n' "$i" > "migrations/00${i}_t$i.sql"
    done
    st migrate
    expect_rc 0
    for f in migrations/*.sql; do echo "-- edited" >> "$f"; done
    st migrate
    expect_rc 7
    expect_err "12 applied migrations no longer match the files: 0001_t01.sql (changed)"
    expect_err "0010_t10.sql (changed), and 2 more ('strata status' lists them all)"
    expect_no_err "0011_t11.sql"
}

test_json_errors() {
    # with --json, errors are a JSON document on stdout too
    printf '[database]\ncolour = red\n' > strata.conf
    raw status --json
    expect_rc 3
    [ "$(json_get '.error.code')" = 3 ] || fail "code"
    [ "$(json_get '.error.file')" = strata.conf ] || fail "file: $(json_get .error.file)"
    [ "$(json_get '.error.line')" = 2 ] || fail "line"
    json_get '.error.message' | grep -q colour || fail "message"
    rm strata.conf
    mig 0001_a.sql <<'SQL'
CREATE TABLE a (x integer);
SQL
    st migrate
    echo "-- edited" >> migrations/0001_a.sql
    st migrate --json
    expect_rc 7
    [ "$(json_get .ok)" = false ] || fail "ok"
    [ "$(json_get .error.code)" = 7 ] || fail "code 7"
    json_get .error.message | grep -q 0001_a.sql || fail "message names the file"
}
