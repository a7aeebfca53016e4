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
