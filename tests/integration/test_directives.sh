# test_directives.sh: per-migration directives in every form strata reads:
# no-transaction (native, Flyway .conf, dbmate transaction:false, diesel
# metadata.toml), requires, env, timeout, run-always; and repeatables.

hist_count() {
    # hist_count [WHERE-clause]: rows in the history table
    sql "SELECT count(*) FROM $(history_table) ${1:+WHERE $1}"
}

state_of() {
    # state_of VERSION|NAME: the state status --json reports for it
    st status --json
    expect_rc 0
    jq -r --arg v "$1" '.migrations[] | select(.version == $v or (.version == null and .name == $v)) | .state' <<<"$OUT"
}

# ---- no-transaction -----------------------------------------------------------

pg_index_fixture() {
    mig "$1" <<'SQL'
CREATE TABLE big (id integer, v text);
SQL
}

test_pg_no_transaction_native() {
    pg_index_fixture 0001_big.sql
    mig 0002_index.sql <<'SQL'
CREATE INDEX CONCURRENTLY big_v ON big (v);
SQL
    # without the directive the step runs in a transaction and PostgreSQL refuses
    st migrate --no-lint  # the server's own refusal, not the linter's
    expect_rc 5
    expect_err "transaction block"
    expect_err "migrations/0002_index.sql:1"
    [ "$(state_of 1)" = applied ] || fail "0001 should stay applied"
    [ "$(state_of 2)" = pending ] || fail "0002 should be pending after a rolled-back failure"
    [ "$(hist_count "version = '2'")" = 0 ] || fail "a rolled-back step left a history row"

    cat > migrations/0002_index.sql <<'SQL'
-- strata:no-transaction
-- strata:up
CREATE INDEX CONCURRENTLY big_v ON big (v);
-- strata:down
DROP INDEX CONCURRENTLY big_v;
SQL
    st status --json
    [ "$(json_get '.migrations[] | select(.version == "2") | .no_transaction')" = true ] ||
        fail "status should flag no_transaction"
    st migrate
    expect_rc 0
    [ "$(sql "SELECT count(*) FROM pg_indexes WHERE indexname = 'big_v'")" = 1 ] || fail "index missing"
    [ "$(hist_count "version = '2' AND success")" = 1 ] || fail "success row for 0002"
    # the down section runs outside a transaction too
    st down
    expect_rc 0
    [ "$(sql "SELECT count(*) FROM pg_indexes WHERE indexname = 'big_v'")" = 0 ] || fail "index not dropped"
}

test_pg_no_transaction_flyway_conf() {
    pg_index_fixture V1__big.sql
    mig V2__index.sql <<'SQL'
CREATE INDEX CONCURRENTLY big_v ON big (v);
SQL
    st migrate --no-lint  # the server's own refusal, not the linter's
    expect_rc 5
    expect_err "transaction block"
    expect_err "V2__index.sql"
    printf 'executeInTransaction=false\n' > migrations/V2__index.sql.conf
    st status --json
    [ "$(json_get '.migrations[] | select(.version == "2") | .no_transaction')" = true ] ||
        fail "the .conf sidecar was not read"
    st migrate
    expect_rc 0
    expect_out "applied 1 migration"
    [ "$(sql "SELECT count(*) FROM pg_indexes WHERE indexname = 'big_v'")" = 1 ] || fail "index missing"
    # a .conf with executeInTransaction=true changes nothing
    printf 'executeInTransaction=true\n' > migrations/V2__index.sql.conf
    st status --json
    [ "$(json_get '.migrations[] | select(.version == "2") | .no_transaction')" = false ] ||
        fail "executeInTransaction=true read as false"
}

test_pg_no_transaction_dbmate() {
    mig 20240101000000_big.sql <<'SQL'
-- migrate:up
CREATE TABLE big (id integer, v text);
-- migrate:down
DROP TABLE big;
SQL
    mig 20240102000000_index.sql <<'SQL'
-- migrate:up
CREATE INDEX CONCURRENTLY big_v ON big (v);
-- migrate:down
DROP INDEX CONCURRENTLY big_v;
SQL
    st migrate --no-lint  # the server's own refusal, not the linter's
    expect_rc 5
    expect_err "transaction block"
    expect_err "migrations/20240102000000_index.sql:2"
    cat > migrations/20240102000000_index.sql <<'SQL'
-- migrate:up transaction:false
CREATE INDEX CONCURRENTLY big_v ON big (v);
-- migrate:down transaction:false
DROP INDEX CONCURRENTLY big_v;
SQL
    st migrate
    expect_rc 0
    [ "$(sql "SELECT count(*) FROM pg_indexes WHERE indexname = 'big_v'")" = 1 ] || fail "index missing"
    st down
    expect_rc 0
    [ "$(sql "SELECT count(*) FROM pg_indexes WHERE indexname = 'big_v'")" = 0 ] || fail "index not dropped"
}

test_pg_no_transaction_dbmate_down_only_up() {
    # transaction:false on the up marker only: the down still runs in a transaction
    mig 20240101000000_big.sql <<'SQL'
-- migrate:up transaction:false
CREATE TABLE big (id integer, v text);
CREATE INDEX CONCURRENTLY big_v ON big (v);
-- migrate:down
DROP INDEX CONCURRENTLY big_v;
SQL
    st migrate
    expect_rc 0
    st down
    expect_rc 5
    expect_err "transaction block"
    [ "$(sql "SELECT count(*) FROM pg_indexes WHERE indexname = 'big_v'")" = 1 ] || fail "index dropped"
    [ "$(state_of 20240101000000)" = applied ] || fail "still applied after a failed down"
}

test_pg_no_transaction_diesel() {
    mig 2024-01-01-000000_big/up.sql <<'SQL'
CREATE TABLE big (id integer, v text);
SQL
    mig 2024-01-02-000000_index/up.sql <<'SQL'
CREATE INDEX CONCURRENTLY big_v ON big (v);
SQL
    mig 2024-01-02-000000_index/down.sql <<'SQL'
DROP INDEX CONCURRENTLY big_v;
SQL
    st migrate --no-lint  # the server's own refusal, not the linter's
    expect_rc 5
    expect_err "transaction block"
    expect_err "2024-01-02-000000_index/up.sql"
    printf '# diesel\nrun_in_transaction = false\n' > migrations/2024-01-02-000000_index/metadata.toml
    st status --json
    [ "$(json_get '.migrations[] | select(.version == "20240102000000") | .no_transaction')" = true ] ||
        fail "metadata.toml not read"
    st migrate
    expect_rc 0
    [ "$(sql "SELECT count(*) FROM pg_indexes WHERE indexname = 'big_v'")" = 1 ] || fail "index missing"
    st down
    expect_rc 0
    [ "$(sql "SELECT count(*) FROM pg_indexes WHERE indexname = 'big_v'")" = 0 ] || fail "index not dropped"
}

test_both_no_transaction_flag_everywhere() {
    mig 0001_a.sql <<'SQL'
-- strata:no-transaction
CREATE TABLE a (x integer);
SQL
    mig 0002_b.sql <<'SQL'
CREATE TABLE b (x integer);
SQL
    st status --json
    [ "$(json_get '[.migrations[].no_transaction] | map(tostring) | join(",")')" = "true,false" ] ||
        fail "no_transaction flags"
    st plan
    expect_rc 0
    expect_out "no transaction"
    expect_out "in a transaction"
    st migrate
    expect_rc 0
    table_exists a || fail "a missing"
    table_exists b || fail "b missing"
    st status
    expect_out "(no transaction)"
}

# ---- requires -------------------------------------------------------------------

test_both_requires_applied() {
    mig 0001_a.sql <<'SQL'
CREATE TABLE a (x integer);
SQL
    mig 0002_b.sql <<'SQL'
-- strata:requires 1
CREATE TABLE b (x integer);
SQL
    st migrate
    expect_rc 0
    expect_out "applied 2 migrations"
    # requirements applied in an earlier run count, and a list works
    mig 0003_c.sql <<'SQL'
-- strata:requires 1, 0002
CREATE TABLE c (x integer);
SQL
    st migrate
    expect_rc 0
    expect_out "applied 1 migration"
    table_exists c || fail "c missing"
}

test_both_requires_later_version() {
    mig 0001_a.sql <<'SQL'
CREATE TABLE a (x integer);
SQL
    mig 0003_needs_five.sql <<'SQL'
-- strata:requires 5
CREATE TABLE c (x integer);
SQL
    mig 0005_e.sql <<'SQL'
CREATE TABLE e (x integer);
SQL
    # 3 would run before 5: refused, before anything runs
    st migrate
    expect_rc 7
    expect_err "0003_needs_five.sql"
    expect_err "requires 5"
    ! table_exists a || fail "0001 ran although the run was refused"
    ! table_exists c || fail "0003 ran"
    # --to 1 leaves 3 out of the run: no refusal
    st migrate --to 1
    expect_rc 0
    expect_out "applied 1 migration"
    table_exists a || fail "0001 missing"
    # --to 3 brings it in again
    st migrate --to 3
    expect_rc 7
    expect_err "0003_needs_five.sql"
    ! table_exists c || fail "0003 ran"
    [ "$(state_of 3)" = pending ] || fail "0003 should be pending"
    [ "$(state_of 5)" = pending ] || fail "0005 should be pending"
    # the dry run refuses too
    st migrate --dry-run
    expect_rc 7
    expect_err "0003_needs_five.sql"
}

test_both_requires_env_limited() {
    mig 0001_a.sql <<'SQL'
CREATE TABLE a (x integer);
SQL
    mig 0002_dev_data.sql <<'SQL'
-- strata:env dev
INSERT INTO a (x) VALUES (42);
SQL
    mig 0004_uses_dev_data.sql <<'SQL'
-- strata:requires 2
CREATE TABLE d (x integer);
SQL
    # without --env, 2 is ignored and 4 cannot run
    st migrate
    expect_rc 7
    expect_err "0004_uses_dev_data.sql"
    expect_err "requires 2"
    ! table_exists a || fail "ran although refused"
    st --env dev migrate
    expect_rc 0
    expect_out "applied 3 migrations"
    [ "$(sql "SELECT x FROM a")" = 42 ] || fail "dev data missing"
    table_exists d || fail "d missing"
}

test_both_requires_unknown_version() {
    mig 0001_a.sql <<'SQL'
-- strata:requires 9
CREATE TABLE a (x integer);
SQL
    st status
    expect_rc 3
    expect_err "0001_a.sql"
    expect_err "9"
    st migrate
    expect_rc 3
    ! table_exists a || fail "applied anyway"
}

# ---- env ---------------------------------------------------------------------------

test_both_env_directive() {
    mig 0001_a.sql <<'SQL'
CREATE TABLE a (x integer);
SQL
    mig 0002_dev_seed.sql <<'SQL'
-- strata:env dev, test
INSERT INTO a (x) VALUES (1);
SQL
    st status --json
    [ "$(json_get '.migrations[] | select(.version == "2") | .state')" = ignored ] ||
        fail "env file should be ignored without --env"
    [ "$(json_get '.summary.ignored')" = 1 ] || fail "summary.ignored"
    st status
    expect_out "1 ignored"
    st migrate
    expect_rc 0
    expect_out "applied 1 migration"
    [ "$(sql "SELECT count(*) FROM a")" = 0 ] || fail "dev seed ran without --env"
    [ "$(hist_count "version = '2'")" = 0 ] || fail "ignored file recorded"
    # another env: still ignored (--url stands in for the missing [env] section)
    st --env prod migrate
    expect_rc 0
    expect_out "nothing to migrate"
    [ "$(sql "SELECT count(*) FROM a")" = 0 ] || fail "dev seed ran for prod"
    # --env dev applies it, and history records the env
    st --env dev status --json
    [ "$(json_get '.migrations[] | select(.version == "2") | .state')" = pending ] ||
        fail "env file should be pending with --env dev"
    st --env dev migrate
    expect_rc 0
    expect_out "applied 1 migration"
    [ "$(sql "SELECT x FROM a")" = 1 ] || fail "dev seed did not run"
    [ "$(sql "SELECT env FROM $(history_table) WHERE version = '2'")" = dev ] || fail "env not recorded"
    [ "$(sql "SELECT coalesce(env, '') FROM $(history_table) WHERE version = '1'")" = "" ] ||
        fail "env recorded for a run without --env"
    st --env dev status --json
    [ "$(json_get '.migrations[] | select(.version == "2") | .env')" = dev ] || fail "status env"
    # once applied it shows applied, with or without --env
    st status --json
    [ "$(json_get '.migrations[] | select(.version == "2") | .state')" = applied ] ||
        fail "applied env file should show applied without --env"
}

test_both_env_from_config_section() {
    mig 0001_dev_only.sql <<'SQL'
-- strata:env dev
CREATE TABLE dev_table (x integer);
SQL
    # the section gives the URL; no --url, no DATABASE_URL
    printf '[database]\nurl = sqlite:nowhere/none.db\n\n[env "dev"]\nurl = %s\n' "$DBURL" > strata.conf
    raw --env dev migrate
    expect_rc 0
    expect_out "applied 1 migration"
    table_exists dev_table || fail "dev_table missing"
    [ "$(sql "SELECT env FROM $(history_table)")" = dev ] || fail "env not recorded"
    # STRATA_ENV selects it too
    STRATA_ENV=dev raw status --json
    expect_rc 0
    [ "$(json_get '.migrations[0].state')" = applied ] || fail "STRATA_ENV not used"
    # an env without a section and without a URL elsewhere: bad input
    raw --env staging status
    expect_rc 3
    expect_err 'env "staging"'
}

# ---- timeout -----------------------------------------------------------------------

test_pg_timeout_directive() {
    mig 0001_slow.sql <<'SQL'
-- strata:timeout 1s
CREATE TABLE marker (x integer);
SELECT pg_sleep(2.5);
SQL
    local t0 ms
    t0=$(date +%s%N)
    st migrate
    ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    expect_rc 5
    expect_err "statement timeout"
    expect_err "migrations/0001_slow.sql:3"
    [ "$ms" -ge 900 ] && [ "$ms" -lt 2300 ] || fail "the step took ${ms} ms; the 1s timeout should end it"
    ! table_exists marker || fail "the step was not rolled back"
    [ "$(hist_count)" = 0 ] || fail "a timed-out step left a history row"
    # the same file without the directive passes
    sed -i '/strata:timeout/d' migrations/0001_slow.sql
    st migrate
    expect_rc 0
    table_exists marker || fail "marker missing"
    [ "$(hist_count "success")" = 1 ] || fail "no success row"
}

test_pg_timeout_does_not_leak() {
    # a step's timeout ends with the step, in a transaction or not
    mig 0001_quick.sql <<'SQL'
-- strata:timeout 1s
SELECT pg_sleep(0.1);
SQL
    mig 0002_quick_no_tx.sql <<'SQL'
-- strata:timeout 1s
-- strata:no-transaction
SELECT pg_sleep(0.1);
SQL
    mig 0003_longer.sql <<'SQL'
SELECT pg_sleep(1.3);
SQL
    st migrate
    expect_rc 0
    expect_out "applied 3 migrations"
}

test_sqlite_timeout_directive() {
    # SQLite has no statement_timeout: strata interrupts the statement itself
    mig 0001_slow.sql <<'SQL'
-- strata:timeout 300ms
CREATE TABLE marker (x integer);
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000000)
SELECT count(*) FROM c;
SQL
    SECONDS=0
    st migrate
    expect_rc 5
    [ "$SECONDS" -lt 5 ] || fail "not interrupted (${SECONDS}s)"
    expect_err "0001_slow.sql"
    ! table_exists marker || fail "not rolled back"
    [ "$(hist_count)" = 0 ] || fail "history row left"
}

test_both_bad_timeout_value() {
    mig 0001_a.sql <<'SQL'
-- strata:timeout soon
CREATE TABLE a (x integer);
SQL
    st migrate
    expect_rc 3
    expect_err "migrations/0001_a.sql:1"
    expect_err "soon"
}

test_both_unknown_directive() {
    mig 0001_a.sql <<'SQL'
-- strata:no-transactoin
CREATE TABLE a (x integer);
SQL
    st migrate
    expect_rc 3
    expect_err "migrations/0001_a.sql:1"
    expect_err "no-transactoin"
    ! table_exists a || fail "applied anyway"
}

# ---- repeatables ---------------------------------------------------------------------

test_both_repeatable_reruns_on_change() {
    mig 0001_t.sql <<'SQL'
CREATE TABLE t (x integer);
SQL
    mig repeatable/t_view.sql <<'SQL'
DROP VIEW IF EXISTS t_view;
CREATE VIEW t_view AS SELECT x FROM t;
SQL
    st migrate
    expect_rc 0
    [ "$(hist_count "kind = 'repeatable'")" = 1 ] || fail "first run"
    st migrate
    expect_rc 0
    expect_out "nothing to migrate"
    [ "$(hist_count "kind = 'repeatable'")" = 1 ] || fail "an unchanged repeatable re-ran"
    cat > migrations/repeatable/t_view.sql <<'SQL'
DROP VIEW IF EXISTS t_view;
CREATE VIEW t_view AS SELECT x, x * 2 AS y FROM t;
SQL
    [ "$(state_of t_view)" = outdated ] || fail "a changed repeatable should be outdated"
    st migrate
    expect_rc 0
    expect_out "applied 1 migration"
    [ "$(hist_count "kind = 'repeatable'")" = 2 ] || fail "changed repeatable did not re-run"
    sql "INSERT INTO t (x) VALUES (21)"
    [ "$(sql "SELECT y FROM t_view")" = 42 ] || fail "new view body not in effect"
    [ "$(state_of t_view)" = applied ] || fail "applied after re-run"
    st verify
    expect_rc 0
}

test_both_repeatable_run_always() {
    mig 0001_t.sql <<'SQL'
CREATE TABLE runs (n integer);
SQL
    mig repeatable/stamp.sql <<'SQL'
-- strata:run-always
INSERT INTO runs (n) VALUES (1);
SQL
    for i in 1 2 3; do
        st migrate
        expect_rc 0
    done
    [ "$(hist_count "kind = 'repeatable' AND name = 'stamp'")" = 3 ] ||
        fail "run-always should have 3 history rows, has $(hist_count "kind = 'repeatable'")"
    [ "$(sql "SELECT count(*) FROM runs")" = 3 ] || fail "run-always body ran $(sql "SELECT count(*) FROM runs") times"
    [ "$(state_of stamp)" = pending ] || fail "run-always should always show pending"
}

test_both_run_always_on_versioned_refused() {
    mig 0001_t.sql <<'SQL'
-- strata:run-always
CREATE TABLE t (x integer);
SQL
    st migrate
    expect_rc 3
    expect_err "migrations/0001_t.sql:1"
    expect_err "run-always"
}

test_both_repeatables_wait_for_head() {
    mig 0001_t.sql <<'SQL'
CREATE TABLE t (x integer);
SQL
    mig 0002_u.sql <<'SQL'
ALTER TABLE t ADD COLUMN y integer;
SQL
    mig repeatable/v.sql <<'SQL'
DROP VIEW IF EXISTS v;
CREATE VIEW v AS SELECT x, y FROM t;
SQL
    # the view needs column y: with --to 1 it must wait
    st migrate --to 1
    expect_rc 0
    expect_out "applied 1 migration"
    ! table_exists v || fail "repeatable ran short of the head"
    st migrate
    expect_rc 0
    expect_out "applied 2 migrations"
    table_exists v || fail "view missing"
}

# ---- transaction control inside a migration -------------------------------------------

test_both_transaction_control_refused() {
    mig 0001_a.sql <<'SQL'
CREATE TABLE a (x integer);
BEGIN;
INSERT INTO a (x) VALUES (1);
COMMIT;
SQL
    st migrate --no-lint  # the runtime refusal, not the linter's
    [ "$RC" = 3 ] || [ "$RC" = 5 ] || fail "expected exit 3 or 5, got $RC"
    expect_err "migrations/0001_a.sql:2"
    expect_err "transaction"
    ! table_exists a || fail "statements before BEGIN were committed"
    [ "$(hist_count)" = 0 ] || fail "history row written"
}

test_both_savepoints_allowed() {
    mig 0001_a.sql <<'SQL'
CREATE TABLE a (x integer);
SAVEPOINT s1;
INSERT INTO a (x) VALUES (1);
ROLLBACK TO SAVEPOINT s1;
INSERT INTO a (x) VALUES (2);
RELEASE SAVEPOINT s1;
SQL
    st migrate
    expect_rc 0
    [ "$(sql "SELECT x FROM a")" = 2 ] || fail "savepoint rollback not honoured"
}

test_both_no_transaction_manages_own_transaction() {
    # the refusal's hint says: add -- strata:no-transaction if the file
    # manages its own transaction. Then BEGIN ... COMMIT must work.
    mig 0001_a.sql <<'SQL'
-- strata:no-transaction
CREATE TABLE a (x integer);
BEGIN;
INSERT INTO a (x) VALUES (1);
INSERT INTO a (x) VALUES (2);
COMMIT;
SQL
    st migrate
    expect_rc 0
    [ "$(sql "SELECT count(*) FROM a")" = 2 ] || fail "rows: $(sql "SELECT count(*) FROM a")"
    [ "$(hist_count "success")" = 1 ] || fail "no success row"
}

test_both_no_transaction_directive_after_up_marker() {
    mig 0001_a.sql <<'SQL'
-- strata:up
-- strata:no-transaction
CREATE TABLE a (x integer);
-- strata:down
DROP TABLE a;
SQL
    st status --json
    [ "$(json_get '.migrations[0].no_transaction')" = true ] || fail "directive after the up marker ignored"
}
