# test_formats.sh: one small fixture project per migrations format
# (native, seed, Flyway, golang-migrate, dbmate, diesel): detection, version
# order, migrate, status and down; and --format forcing a format.

# versions in history order (rank), repeatables as R, one line: "1 2 10 R"
hist_versions() {
    sql "SELECT coalesce(version, 'R') FROM $(history_table) ORDER BY rank" | paste -sd' ' -
}

# kinds in history order, one line
hist_kinds() {
    sql "SELECT kind FROM $(history_table) ORDER BY rank" | paste -sd' ' -
}

# "version:state" for every row of status --json, one line
status_states() {
    st status --json
    expect_rc 0
    json_get '[.migrations[] | "\(.version // "R"):\(.state)"] | join(" ")'
}

expect_format() {
    st status --json
    expect_rc 0
    [ "$(json_get .format)" = "$1" ] || fail "format: expected $1, got $(json_get .format)"
}

# ---- native ---------------------------------------------------------------

test_both_native_format() {
    mig 0001_users.sql <<'SQL'
-- strata:up
CREATE TABLE users (id integer PRIMARY KEY, name text);
-- strata:down
DROP TABLE users;
SQL
    mig 0002_posts.sql <<'SQL'
-- strata:up
CREATE TABLE posts (id integer PRIMARY KEY, user_id integer REFERENCES users (id));
-- strata:down
DROP TABLE posts;
SQL
    mig repeatable/user_names.sql <<'SQL'
-- strata:up
DROP VIEW IF EXISTS user_names;
CREATE VIEW user_names AS SELECT name FROM users;
SQL
    expect_format native
    [ "$(json_get '.summary.pending')" = 3 ] || fail "3 pending expected"
    st status
    expect_rc 0
    expect_out "(native migrations in"
    expect_out "0 applied, 3 pending"

    st migrate
    expect_rc 0
    expect_out "applied 3 migrations"
    table_exists users || fail "users missing"
    table_exists posts || fail "posts missing"
    table_exists user_names || fail "view user_names missing"
    [ "$(hist_versions)" = "1 2 R" ] || fail "history order: $(hist_versions)"
    [ "$(hist_kinds)" = "versioned versioned repeatable" ] || fail "kinds: $(hist_kinds)"
    [ "$(sql "SELECT path FROM $(history_table) WHERE kind = 'repeatable'")" = repeatable/user_names.sql ] ||
        fail "repeatable path not recorded"
    [ "$(status_states)" = "1:applied 2:applied R:applied" ] || fail "states: $(status_states)"

    st down
    expect_rc 0
    expect_out "reverted 1 migration"
    ! table_exists posts || fail "posts still there after down"
    table_exists users || fail "down undid more than one migration"
    [ "$(status_states)" = "1:applied 2:pending R:applied" ] || fail "states after down: $(status_states)"
    # the undo is logged, not deleted
    [ "$(sql "SELECT count(*) FROM $(history_table) WHERE kind = 'undo' AND version = '2'")" = 1 ] ||
        fail "no undo row for version 2"
}

test_both_native_numeric_order() {
    # unpadded numbers: file-name order would be 10, 2, 3; version order is 2, 3, 10
    mig 2_base.sql <<'SQL'
CREATE TABLE t (a integer);
SQL
    mig 10_third.sql <<'SQL'
ALTER TABLE t ADD COLUMN c integer;
INSERT INTO t (a, b, c) VALUES (1, 2, 3);
SQL
    mig 3_second.sql <<'SQL'
ALTER TABLE t ADD COLUMN b integer;
SQL
    st migrate
    expect_rc 0
    [ "$(hist_versions)" = "2 3 10" ] || fail "history order: $(hist_versions)"
    [ "$(sql "SELECT a + b + c FROM t")" = 6 ] || fail "row not inserted"
    st status --json
    [ "$(json_get '[.migrations[].version] | join(",")')" = "2,3,10" ] || fail "status order"
    # zero padding is not part of the version
    [ "$(json_get '.migrations[0].path')" = 2_base.sql ] || fail "path"
}

# ---- seed layout (persistent/ + replaceable/) -------------------------------

test_both_seed_format() {
    mig persistent/001_accounts.sql <<'SQL'
-- strata:up
CREATE TABLE accounts (id integer PRIMARY KEY, balance integer NOT NULL);
-- strata:down
DROP TABLE accounts;
SQL
    mig persistent/002_ledger.sql <<'SQL'
-- strata:up
CREATE TABLE ledger (id integer PRIMARY KEY, account_id integer, amount integer);
-- strata:down
DROP TABLE ledger;
SQL
    mig replaceable/001_balances.sql <<'SQL'
DROP VIEW IF EXISTS balances;
CREATE VIEW balances AS SELECT a.id, a.balance FROM accounts a;
SQL
    expect_format seed
    [ "$(json_get '[.migrations[] | .kind] | join(" ")')" = "versioned versioned repeatable" ] ||
        fail "kinds in status"
    st migrate
    expect_rc 0
    expect_out "applied 3 migrations"
    table_exists accounts || fail "accounts missing"
    table_exists ledger || fail "ledger missing"
    table_exists balances || fail "view missing"
    [ "$(hist_versions)" = "1 2 R" ] || fail "history order: $(hist_versions)"
    [ "$(sql "SELECT path FROM $(history_table) ORDER BY rank" | paste -sd' ' -)" = \
      "persistent/001_accounts.sql persistent/002_ledger.sql replaceable/001_balances.sql" ] ||
        fail "paths recorded"
    [ "$(status_states)" = "1:applied 2:applied R:applied" ] || fail "states: $(status_states)"
    st down
    expect_rc 0
    ! table_exists ledger || fail "ledger not dropped"
    table_exists accounts || fail "accounts dropped too"
}

# ---- Flyway ---------------------------------------------------------------

test_both_flyway_format() {
    mig V1__create_t.sql <<'SQL'
CREATE TABLE t (a integer);
SQL
    mig V1_1__add_b.sql <<'SQL'
ALTER TABLE t ADD COLUMN b integer;
SQL
    mig V1.2__add_c.sql <<'SQL'
ALTER TABLE t ADD COLUMN c integer;
SQL
    mig V1.10__create_d.sql <<'SQL'
CREATE TABLE d (x integer);
INSERT INTO t (a, b, c) VALUES (1, 2, 3);
SQL
    mig U1.10__create_d.sql <<'SQL'
DELETE FROM t;
DROP TABLE d;
SQL
    mig R__views.sql <<'SQL'
DROP VIEW IF EXISTS t_sum;
CREATE VIEW t_sum AS SELECT a + b + c AS s FROM t;
SQL
    expect_format flyway
    [ "$(json_get '[.migrations[] | .version // "R"] | join(" ")')" = "1 1.1 1.2 1.10 R" ] ||
        fail "status order: $(json_get '[.migrations[] | .version // "R"] | join(" ")')"
    st migrate
    expect_rc 0
    expect_out "applied 5 migrations"
    # rank follows version order 1 < 1.1 < 1.2 < 1.10, not file-name order
    [ "$(sql "SELECT rank || ':' || coalesce(version, 'R') FROM $(history_table) ORDER BY rank" | paste -sd' ' -)" = \
      "1:1 2:1.1 3:1.2 4:1.10 5:R" ] || fail "ranks vs versions: $(hist_versions)"
    [ "$(sql "SELECT name FROM $(history_table) ORDER BY rank" | paste -sd' ' -)" = \
      "create_t add_b add_c create_d views" ] || fail "names (descriptions) recorded"
    [ "$(sql "SELECT s FROM t_sum")" = 6 ] || fail "repeatable view did not see the data"

    # down uses U1.10__create_d.sql
    st down
    expect_rc 0
    ! table_exists d || fail "U1.10 did not run"
    [ "$(sql "SELECT count(*) FROM t")" = 0 ] || fail "U1.10 did not delete rows"
    [ "$(sql "SELECT path FROM $(history_table) WHERE kind = 'undo'")" = U1.10__create_d.sql ] ||
        fail "undo row should record the U file"
    [ "$(status_states)" = "1:applied 1.1:applied 1.2:applied 1.10:pending R:applied" ] ||
        fail "states after down: $(status_states)"
    # 1.2 has no U file: refused, nothing undone
    st down
    expect_rc 7
    expect_err "V1.2__add_c.sql"
    [ "$(sql "SELECT count(*) FROM $(history_table) WHERE kind = 'undo'")" = 1 ] || fail "something undone"
    # and migrate re-applies 1.10 only
    st migrate
    expect_rc 0
    expect_out "applied 1 migration"
    table_exists d || fail "1.10 not re-applied"
}

test_both_flyway_version_forms() {
    # 1_2 and 1.2 are the same version for Flyway
    mig V1__a.sql <<'SQL'
CREATE TABLE a (x integer);
SQL
    mig V1_2__b.sql <<'SQL'
CREATE TABLE b (x integer);
SQL
    mig V1.2__c.sql <<'SQL'
CREATE TABLE c (x integer);
SQL
    st migrate
    expect_rc 3
    expect_err "V1.2__c.sql"
    expect_err "V1_2__b.sql"
    ! table_exists a || fail "migrate ran although the folder is invalid"
}

# ---- golang-migrate ---------------------------------------------------------

test_both_golang_format() {
    mig 1_create_a.up.sql <<'SQL'
CREATE TABLE a (x integer);
SQL
    mig 1_create_a.down.sql <<'SQL'
DROP TABLE a;
SQL
    mig 2_alter_a.up.sql <<'SQL'
ALTER TABLE a ADD COLUMN y integer;
SQL
    mig 2_alter_a.down.sql <<'SQL'
ALTER TABLE a DROP COLUMN y;
SQL
    mig 10_fill_a.up.sql <<'SQL'
INSERT INTO a (x, y) VALUES (1, 2);
SQL
    mig 10_fill_a.down.sql <<'SQL'
DELETE FROM a;
SQL
    expect_format golang-migrate
    st migrate
    expect_rc 0
    expect_out "applied 3 migrations"
    [ "$(hist_versions)" = "1 2 10" ] || fail "history order: $(hist_versions)"
    [ "$(sql "SELECT path FROM $(history_table) ORDER BY rank" | paste -sd' ' -)" = \
      "1_create_a.up.sql 2_alter_a.up.sql 10_fill_a.up.sql" ] || fail "paths"
    [ "$(sql "SELECT x + y FROM a")" = 3 ] || fail "data"
    st down --steps 2
    expect_rc 0
    expect_out "reverted 2 migrations"
    [ "$(status_states)" = "1:applied 2:pending 10:pending" ] || fail "states: $(status_states)"
    [ "$(sql "SELECT path FROM $(history_table) WHERE kind = 'undo' ORDER BY rank" | paste -sd' ' -)" = \
      "10_fill_a.down.sql 2_alter_a.down.sql" ] || fail "undo rows: newest first, with the down files"
    [ "$(sql "SELECT count(*) FROM a")" = 0 ] || fail "10 down did not run"
}

# ---- dbmate -------------------------------------------------------------------

test_both_dbmate_format() {
    mig 20240101120000_create_notes.sql <<'SQL'
-- migrate:up
CREATE TABLE notes (id integer PRIMARY KEY, body text);

-- migrate:down
DROP TABLE notes;
SQL
    mig 20240215093000_add_tags.sql <<'SQL'
-- migrate:up
CREATE TABLE tags (note_id integer, tag text);
INSERT INTO notes (id, body) VALUES (1, 'hello');

-- migrate:down
DROP TABLE tags;
DELETE FROM notes;
SQL
    expect_format dbmate
    st migrate
    expect_rc 0
    expect_out "applied 2 migrations"
    [ "$(hist_versions)" = "20240101120000 20240215093000" ] || fail "history: $(hist_versions)"
    # only the up section ran (the down section would drop the table again)
    table_exists tags || fail "tags missing"
    [ "$(sql "SELECT body FROM notes")" = hello ] || fail "insert did not run"
    st down
    expect_rc 0
    ! table_exists tags || fail "down did not drop tags"
    table_exists notes || fail "down went too far"
    [ "$(sql "SELECT count(*) FROM notes")" = 0 ] || fail "down section only partly ran"
    [ "$(status_states)" = "20240101120000:applied 20240215093000:pending" ] || fail "$(status_states)"
}

# ---- diesel -------------------------------------------------------------------

test_both_diesel_format() {
    mig 2024-01-01-000000_create_items/up.sql <<'SQL'
CREATE TABLE items (id integer PRIMARY KEY, label text);
SQL
    mig 2024-01-01-000000_create_items/down.sql <<'SQL'
DROP TABLE items;
SQL
    mig 2024-03-05-101500_seed_items/up.sql <<'SQL'
INSERT INTO items (id, label) VALUES (1, 'one'), (2, 'two');
SQL
    mig 2024-03-05-101500_seed_items/down.sql <<'SQL'
DELETE FROM items;
SQL
    expect_format diesel
    [ "$(json_get '[.migrations[] | .name] | join(" ")')" = "create_items seed_items" ] || fail "names"
    st migrate
    expect_rc 0
    expect_out "applied 2 migrations"
    [ "$(hist_versions)" = "20240101000000 20240305101500" ] || fail "history: $(hist_versions)"
    [ "$(sql "SELECT path FROM $(history_table) ORDER BY rank" | paste -sd' ' -)" = \
      "2024-01-01-000000_create_items/up.sql 2024-03-05-101500_seed_items/up.sql" ] || fail "paths"
    [ "$(sql "SELECT count(*) FROM items")" = 2 ] || fail "seed rows"
    st down --steps 2
    expect_rc 0
    ! table_exists items || fail "down did not drop items"
    [ "$(status_states)" = "20240101000000:pending 20240305101500:pending" ] || fail "$(status_states)"
    # --to takes the version as written in the folder name
    st migrate --to 2024-01-01-000000
    expect_rc 0
    [ "$(status_states)" = "20240101000000:applied 20240305101500:pending" ] || fail "--to: $(status_states)"
}

# ---- forcing a format -----------------------------------------------------------

test_both_format_forced() {
    mig 20240101120000_create_notes.sql <<'SQL'
-- migrate:up
CREATE TABLE notes (id integer);
-- migrate:down
DROP TABLE notes;
SQL
    expect_format dbmate
    # forced native, the same file is one up script holding the DROP too
    st --format native plan
    expect_rc 0
    expect_out "DROP TABLE notes;"
    st --format native status --json
    expect_rc 0
    [ "$(json_get .format)" = native ] || fail "--format native not applied"
    # forced dbmate on a plain file: no '-- migrate:up' marker -> bad input
    rm migrations/*.sql
    mig 0001_a.sql <<'SQL'
CREATE TABLE a (x integer);
SQL
    expect_format native
    st --format dbmate migrate
    expect_rc 3
    expect_err "0001_a.sql"
    expect_err "-- migrate:up"
    ! table_exists a || fail "applied anyway"
    # an unknown format name
    st --format liquibase status
    expect_rc 3
    expect_err "liquibase"
    # the format from strata.conf, and the flag over it
    printf '[migrations]\nformat = dbmate\n' > strata.conf
    st status
    expect_rc 3
    expect_err "-- migrate:up"
    st --format native migrate
    expect_rc 0
    table_exists a || fail "--format native did not beat strata.conf"
}

test_format_golang_alias() {
    mig 1_a.up.sql <<'SQL'
CREATE TABLE a (x integer);
SQL
    st --format golang status --json
    expect_rc 0
    [ "$(json_get .format)" = golang-migrate ] || fail "golang alias"
}

test_both_native_down_marker_only() {
    # no '-- strata:up': everything before '-- strata:down' is the up script
    mig 0001_a.sql <<'SQL'
CREATE TABLE a (x integer);
-- strata:down
DROP TABLE a;
SQL
    st migrate
    expect_rc 0
    table_exists a || fail "up part did not run"
    st down
    expect_rc 0
    ! table_exists a || fail "down part did not run"
}

test_both_native_no_markers() {
    # a plain .sql file is all up, with no down
    mig 0001_a.sql <<'SQL'
CREATE TABLE a (x integer);
CREATE TABLE b (x integer);
SQL
    st migrate
    expect_rc 0
    table_exists a && table_exists b || fail "not applied"
    st down
    expect_rc 7
    table_exists a || fail "undone"
}

test_both_repeatables_in_natural_order() {
    mig 0001_a.sql <<'SQL'
CREATE TABLE a (x integer);
SQL
    # v10 reads from v2: v2 must run first although "v10" < "v2" as text
    mig repeatable/v10_outer.sql <<'SQL'
DROP VIEW IF EXISTS v10;
CREATE VIEW v10 AS SELECT x FROM v2;
SQL
    mig repeatable/v2_inner.sql <<'SQL'
DROP VIEW IF EXISTS v10;
DROP VIEW IF EXISTS v2;
CREATE VIEW v2 AS SELECT x FROM a;
SQL
    st migrate
    expect_rc 0
    [ "$(sql "SELECT name FROM $(history_table) WHERE kind = 'repeatable' ORDER BY rank" | paste -sd' ' -)" = \
      "v2_inner v10_outer" ] || fail "repeatable order"
    table_exists v10 || fail "v10 missing"
}

test_both_dotfiles_ignored() {
    mig 0001_a.sql <<'SQL'
CREATE TABLE a (x integer);
SQL
    # editor droppings next to the migrations
    echo "garbage" > "migrations/.#0002_b.sql"
    echo "garbage" > "migrations/.0001_a.sql.swp"
    mkdir -p migrations/.git
    st migrate
    expect_rc 0
    expect_out "applied 1 migration"
}
