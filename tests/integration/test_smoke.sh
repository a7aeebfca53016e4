# test_smoke.sh: the five-minute tour, on both drivers.

test_both_tour() {
    mig 0001_create_users.sql <<'SQL'
-- strata:up
CREATE TABLE users (id integer PRIMARY KEY, name text NOT NULL);
-- strata:down
DROP TABLE users;
SQL
    st status
    expect_rc 0
    expect_out "pending"
    st migrate
    expect_rc 0
    expect_out "applied 1 migration"
    table_exists users || fail "users table missing after migrate"
    [ "$(sql "SELECT count(*) FROM $(history_table)")" = 1 ] || fail "history should have 1 row"
    st down
    expect_rc 0
    ! table_exists users || fail "users table still there after down"
}
