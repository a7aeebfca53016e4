# test_schema_drift.sh: drift (the live database against its own migration
# history replayed on a scratch database) and generate (the next migration
# from a desired schema), end to end through the CLI.

drift_project() {
    mig 0001_users.sql <<'SQL'
-- strata:up
CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, name text);
CREATE INDEX users_email_idx ON users (email);
-- strata:down
DROP TABLE users;
SQL
}

test_pg_drift_clean_then_finds_hand_changes() {
    drift_project
    mig 0002_fn.sql <<'SQL'
-- strata:up
CREATE FUNCTION user_count() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM users $$;
-- strata:down
DROP FUNCTION user_count();
SQL
    st migrate
    expect_rc 0
    st drift
    expect_rc 0
    expect_out "no drift"
    # a column added by hand
    sql "ALTER TABLE users ADD COLUMN nick text" >/dev/null
    st drift
    expect_rc 1
    expect_out "ALTER TABLE public.users ADD COLUMN nick text;"
    # an index dropped by hand, and a function body changed by hand
    sql "ALTER TABLE users DROP COLUMN nick; DROP INDEX users_email_idx" >/dev/null
    sql "CREATE OR REPLACE FUNCTION user_count() RETURNS bigint LANGUAGE sql AS \$\$ SELECT count(*) + 1 FROM users \$\$" >/dev/null
    st drift --json
    expect_rc 1
    [ "$(json_get 'length')" = 2 ] || fail "expected 2 changes"
    json_get '.[].up' | grep -qF "DROP INDEX public.users_email_idx;" || fail "the dropped index is not reported"
    json_get '.[].up' | grep -qF "count(*) + 1" || fail "the changed function body is not reported"
    # drift reads only: the database is as it was, and no scratch database is left behind
    [ "$(sql "SELECT count(*) FROM pg_database WHERE datname LIKE 'strata_scratch%'")" = 0 ] ||
        fail "a scratch database was left behind"
}

test_drift_sqlite() {
    drift_project
    st migrate
    expect_rc 0
    st drift
    expect_rc 0
    sql "ALTER TABLE users ADD COLUMN nick text"
    st drift
    expect_rc 1
    expect_out "nick"
    ls /tmp/strata-scratch-* >/dev/null 2>&1 && [ -n "$(find /tmp -maxdepth 1 -name 'strata-scratch-*' -newer migrations/0001_users.sql)" ] &&
        fail "a scratch file was left behind"
    return 0
}

test_pg_drift_only_counts_applied_migrations() {
    drift_project
    st migrate
    mig 0002_more.sql <<'SQL'
-- strata:up
ALTER TABLE users ADD COLUMN age integer;
SQL
    # 0002 is pending, not applied: the database has no drift
    st drift
    expect_rc 0
}

test_pg_generate_then_migrate_then_no_drift() {
    drift_project
    st migrate
    mkdir schema
    cat > schema/app.sql <<'SQL'
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, name text, mood mood DEFAULT 'ok');
CREATE INDEX users_email_idx ON users (email);
CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                     user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
                     total numeric(12,2) NOT NULL DEFAULT 0);
CREATE VIEW user_totals AS SELECT u.id, sum(o.total) AS total FROM users u JOIN orders o ON o.user_id = u.id GROUP BY u.id;
SQL
    cat > schema/items.json <<'JSON'
{"tableName": "items", "columns": [
  {"name": "id", "type": "UUID", "primaryKey": true, "nullable": false, "defaultValue": "gen_random_uuid()"},
  {"name": "name", "type": "TEXT", "nullable": false}],
 "indexes": [{"name": "idx_items_name", "columns": ["name"]}]}
JSON
    st generate add_orders
    expect_rc 0
    expect_out "migrations/0002_add_orders.sql"
    grep -q "CREATE TABLE public.orders" migrations/0002_add_orders.sql || fail "no CREATE TABLE orders"
    grep -q "DROP TABLE public.orders" migrations/0002_add_orders.sql || fail "no reverse"
    st migrate
    expect_rc 0
    st drift
    expect_rc 0
    # the desired schema is reached: nothing more to generate, and no file written
    st generate again
    expect_rc 3
    expect_err "nothing to generate"
    [ ! -e migrations/0003_again.sql ] || fail "an empty migration was written"
    # and the generated down goes back
    st down
    expect_rc 0
    ! table_exists orders || fail "down left orders"
}

test_pg_generate_refuses_destructive_without_flag() {
    drift_project
    st migrate
    mkdir schema
    echo "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);
CREATE INDEX users_email_idx ON users (email);" > schema/app.sql
    st generate drop_name
    expect_rc 7
    expect_err "destructive"
    expect_err "--allow-destructive"
    [ -z "$(ls migrations | grep drop_name)" ] || fail "a migration was written"
    st generate drop_name --allow-destructive
    expect_rc 0
    grep -q -- "-- DESTRUCTIVE: drops column name" migrations/0002_drop_name.sql || fail "not flagged in the file"
}

test_pg_diff_folder_sides_and_errors() {
    drift_project
    mkdir want
    echo "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, name text, age int);
CREATE INDEX users_email_idx ON users (email);" > want/s.sql
    st diff migrations want
    expect_rc 0
    expect_out "ALTER TABLE public.users ADD COLUMN age integer;"
    st diff migrations want --down
    expect_out "ALTER TABLE public.users DROP COLUMN age;"
    st diff want want --exit-code
    expect_rc 0
    st diff migrations want --exit-code
    expect_rc 1
    # a typo in a desired-schema file names the file and line
    printf 'CREATE TABLE ok (id int);\nCREATE TABLE bad (id intt);\n' > want/s.sql
    st diff migrations want
    expect_rc 5
    expect_err "want/s.sql:2"
    expect_err "intt"
    st diff migrations nothing-here
    expect_rc 3
    expect_err "neither a database URL nor a folder"
}
