# test_transactions.sh: a migration cannot escape the transaction strata wraps it in.

test_both_commit_inside_migration_is_refused_and_rolled_back() {
    mig 0001_ok.sql <<'SQL'
CREATE TABLE ok1 (id integer);
SQL
    mig 0002_commits.sql <<'SQL'
-- strata:up
CREATE TABLE half (id integer);
COMMIT;
CREATE TABLE other_half (id integer);
SQL
    st migrate --no-lint  # the runtime guard, not the linter
    expect_rc 3
    expect_err "migrations/0002_commits.sql:3"
    expect_err "transaction control"
    table_exists ok1 || fail "0001 should stay applied"
    ! table_exists half || fail "statements before the COMMIT must be rolled back"
    [ "$(sql "SELECT count(*) FROM $(history_table)")" = 1 ] || fail "only 0001 may be recorded"
}

test_both_rollback_to_savepoint_is_allowed() {
    mig 0001_savepoint.sql <<'SQL'
CREATE TABLE sp (id integer);
SAVEPOINT a;
INSERT INTO sp VALUES (1);
ROLLBACK TO SAVEPOINT a;
INSERT INTO sp VALUES (2);
SQL
    st migrate
    expect_rc 0
    [ "$(sql "SELECT id FROM sp")" = 2 ] || fail "savepoint rollback should leave only row 2"
}

# --single-transaction queues the history rows and writes them with the COMMIT:
# every row is there, in order, and a callback sees the rows of the steps before it.
test_both_single_transaction_history_rows() {
    local h
    h=$(history_table)
    mig callbacks/before_migrate.sql <<'SQL'
CREATE TABLE cb_log (what text NOT NULL, seen integer NOT NULL);
SQL
    mig callbacks/after_each.sql <<SQL
INSERT INTO cb_log SELECT 'each', count(*) FROM $h;
SQL
    mig callbacks/after_migrate.sql <<SQL
INSERT INTO cb_log SELECT 'after', count(*) FROM $h;
SQL
    for i in 1 2 3; do
        mig "000${i}_t$i.sql" <<SQL
CREATE TABLE t$i (id integer PRIMARY KEY, note text DEFAULT 'it''s');
SQL
    done
    st migrate --single-transaction
    expect_rc 0
    expect_out "applied 3 migrations"
    [ "$(sql "SELECT version || ':' || name FROM $h ORDER BY rank" | tr '\n' ' ')" = "1:t1 2:t2 3:t3 " ] ||
        fail "history rows: $(sql "SELECT version, name FROM $h ORDER BY rank")"
    [ "$(sql "SELECT count(*) FROM $h WHERE checksum IS NULL OR path IS NULL")" = 0 ] ||
        fail "every row should have its checksum and path"
    [ "$(sql "SELECT count(*) FROM $h WHERE success = true")" = 3 ] || fail "every row should say success"
    [ "$(sql "SELECT what || seen FROM cb_log ORDER BY what DESC, seen" | tr '\n' ' ')" = "each0 each1 each2 after3 " ] ||
        fail "callbacks should see the rows before them: $(sql "SELECT what, seen FROM cb_log")"
    st status
    expect_rc 0
    expect_out "3 applied, 0 pending"
}

# The history rows are written at the end; when that write fails, the whole
# run rolls back, the migrations with it.
test_pg_single_transaction_history_write_fails() {
    mig 0001_a.sql <<'SQL'
CREATE TABLE a (id integer PRIMARY KEY);
SQL
    mig 0002_trap.sql <<'SQL'
CREATE FUNCTION no_history() RETURNS trigger LANGUAGE plpgsql AS
$$ BEGIN RAISE EXCEPTION 'history is closed'; END $$;
CREATE TRIGGER no_history BEFORE INSERT ON strata.strata_history
    FOR EACH ROW EXECUTE FUNCTION no_history();
SQL
    st migrate --single-transaction
    [ "$RC" != 0 ] || fail "the history write failed, yet migrate succeeded"
    expect_err "cannot record the migrations in"
    expect_err "history is closed"
    expect_err "nothing was applied (single transaction rolled back)"
    ! table_exists a || fail "0001 committed although its history row could not be written"
    [ "$(sql "SELECT count(*) FROM pg_trigger WHERE tgname = 'no_history'")" = 0 ] || fail "the trigger survived"
    [ "$(sql "SELECT count(*) FROM strata.strata_history")" = 0 ] || fail "history rows survived"
    st migrate --single-transaction --to 0001
    expect_rc 0
    table_exists a || fail "a retry should apply 0001"
}

test_both_single_transaction_is_all_or_nothing() {
    mig 0001_a.sql <<'SQL'
CREATE TABLE a (id bigint PRIMARY KEY);
SQL
    mig 0002_b.sql <<'SQL'
CREATE TABLE b (id bigint PRIMARY KEY);
SQL
    mig 0003_c.sql <<'SQL'
CREATE TABLE c (id bigint PRIMARY KEY);
INSERT INTO nowhere VALUES (1);
SQL
    st migrate --single-transaction
    expect_rc 5
    expect_err "nothing was applied (single transaction rolled back)"
    ! table_exists a || fail "0001 committed although the single transaction failed"
    [ "$(sql "SELECT count(*) FROM $(history_table)")" = 0 ] || fail "history rows survived the rollback"
    mig 0003_c.sql <<'SQL'
CREATE TABLE c (id bigint PRIMARY KEY);
SQL
    st migrate -1
    expect_rc 0
    [ "$(sql "SELECT count(*) FROM $(history_table)")" = 3 ] || fail "expected 3 rows"
    # a no-transaction migration cannot join, and is refused before anything runs
    mig 0004_d.sql <<'SQL'
-- strata:no-transaction
CREATE TABLE d (id bigint PRIMARY KEY);
SQL
    st migrate --single-transaction
    expect_rc 7
    expect_err "0004_d.sql runs outside a transaction"
    ! table_exists d || fail "refused, yet d was created"
}
