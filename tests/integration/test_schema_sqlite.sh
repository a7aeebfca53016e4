# test_schema_sqlite.sh: SQLite inspect and diff end to end through the CLI.
#
# Schemas are built with the sqlite3 shell in files next to the test database.
# A round trip diffs A to B, runs the up script on a copy of A that holds rows,
# checks that inspect then prints B byte for byte and that a second diff is
# empty, runs the down script and checks that inspect prints A again. The
# unit test tests/unit/test_schema_sqlite.c covers the same ground through the
# library, with more pairs.

sq() { sqlite3 -bail "$@"; }

# sqs_roundtrip A_SQL B_SQL ROWS_SQL CHECK_SQL EXPECTED [DIFF ARGS...]
sqs_roundtrip() {
    local a=$1 b=$2 rows=$3 check=$4 expected=$5 up down want_a want_b
    shift 5
    rm -f a.db b.db w.db
    sq a.db "$a" || fail "schema A does not load"
    sq b.db "$b" || fail "schema B does not load"
    sq w.db "$a"
    [ -z "$rows" ] || sq w.db "$rows"
    raw --url sqlite:w.db inspect
    expect_rc 0
    want_a=$OUT
    raw --url sqlite:b.db inspect
    expect_rc 0
    want_b=$OUT

    raw --url sqlite:w.db diff sqlite:w.db sqlite:b.db --allow-destructive "$@"
    expect_rc 0
    up=$OUT
    [ -n "$up" ] || fail "no changes found between A and B"
    raw --url sqlite:w.db diff sqlite:w.db sqlite:b.db --allow-destructive --down "$@"
    expect_rc 0
    down=$OUT

    printf 'BEGIN;\n%s\nCOMMIT;\n' "$up" | sq w.db 2>"$T/.sq" || { ERR=$(cat "$T/.sq"); OUT=$up; fail "the up script fails"; }
    raw --url sqlite:w.db inspect
    [ "$OUT" = "$want_b" ] || fail "after up, inspect differs from B: $(diff <(echo "$want_b") <(echo "$OUT"))"
    raw --url sqlite:w.db diff sqlite:w.db sqlite:b.db --exit-code "$@"
    expect_rc 0
    [ -z "$OUT" ] || fail "a second diff is not empty"
    if [ -n "$check" ]; then
        [ "$(sq w.db "$check")" = "$expected" ] || fail "rows after up: '$(sq w.db "$check")', want '$expected'"
    fi

    printf 'BEGIN;\n%s\nCOMMIT;\n' "$down" | sq w.db 2>"$T/.sq" || { ERR=$(cat "$T/.sq"); OUT=$down; fail "the down script fails"; }
    raw --url sqlite:w.db inspect
    [ "$OUT" = "$want_a" ] || fail "after down, inspect differs from A: $(diff <(echo "$want_a") <(echo "$OUT"))"
    OUT=$up
}

test_schema_sqlite_inspect_is_canonical() {
    sq one.db "create table if not exists \"users\" (
        id integer primary key,   -- the key
        email text not null unique,
        [name] varchar ( 20 ) default 'x'
    );
    create index users_name on users ( name );
    create view named as select id, name from users where name is not null;
    create table strata_history (x);"
    sq two.db "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, name VARCHAR(20) DEFAULT 'x');
    CREATE INDEX users_name ON users(name);
    CREATE VIEW named AS SELECT id, name FROM users WHERE name IS NOT NULL;"
    # a third spelling reached through ALTER TABLE: SQLite rewrites the stored text
    sq three.db "CREATE TABLE people (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE);
    ALTER TABLE people ADD COLUMN nm VARCHAR(20) DEFAULT 'x';
    ALTER TABLE people RENAME COLUMN nm TO name;
    ALTER TABLE people RENAME TO users;
    CREATE INDEX users_name ON users(name);
    CREATE VIEW named AS SELECT id, name FROM users WHERE name IS NOT NULL;"
    raw --url sqlite:one.db inspect
    expect_rc 0
    expect_out "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, name VARCHAR(20) DEFAULT 'x');"
    expect_out "CREATE INDEX users_name ON users(name);"
    expect_no_out "strata_history"
    expect_no_out "sqlite_autoindex"
    local one=$OUT
    raw --url sqlite:two.db inspect
    [ "$OUT" = "$one" ] || fail "the same schema spelled differently inspects differently"
    raw --url sqlite:three.db inspect
    [ "$OUT" = "$one" ] || fail "the same schema reached by ALTER TABLE inspects differently"
    # the view comes after the table it reads
    [ "$(grep -n 'CREATE VIEW' <<<"$one" | cut -d: -f1)" -gt "$(grep -n 'CREATE TABLE' <<<"$one" | cut -d: -f1)" ] ||
        fail "the view is printed before its table"
    raw --url sqlite:one.db inspect --json
    [ "$(json_get '.dialect')" = sqlite ] || fail "json dialect"
    [ "$(json_get '.objects[] | select(.key == "table users") | .columns | length')" = 3 ] || fail "json columns"
}

test_schema_sqlite_add_and_drop_columns_in_place() {
    sqs_roundtrip \
        "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT, CHECK (a <> ''));" \
        "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, c INTEGER NOT NULL DEFAULT 0, CHECK (a <> ''));" \
        "INSERT INTO t VALUES (1, 'one', 'uno');" "SELECT id || a || c FROM t" "1one0"
    expect_out "ALTER TABLE t DROP COLUMN b;"
    expect_out "ALTER TABLE t ADD COLUMN c INTEGER NOT NULL DEFAULT 0;"
    expect_no_out "new_t"
}

test_schema_sqlite_rebuild_keeps_rows_indexes_views_triggers() {
    sqs_roundtrip \
        "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, gone TEXT);
         CREATE INDEX t_a ON t (a);
         CREATE TABLE log (msg TEXT);
         CREATE TRIGGER t_ins AFTER INSERT ON t BEGIN INSERT INTO log VALUES (new.a); END;
         CREATE VIEW v AS SELECT a FROM t;" \
        "CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER NOT NULL DEFAULT 0);
         CREATE INDEX t_a ON t (a);
         CREATE TABLE log (msg TEXT);
         CREATE TRIGGER t_ins AFTER INSERT ON t BEGIN INSERT INTO log VALUES (new.a); END;
         CREATE VIEW v AS SELECT a FROM t;" \
        "INSERT INTO t VALUES (1, '42', 'x'), (2, '7', 'y');" \
        "SELECT group_concat(typeof(a) || a) FROM v" "integer42,integer7"
    expect_out "-- rebuild table t"
    expect_out "CREATE TABLE new_t (id INTEGER PRIMARY KEY, a INTEGER NOT NULL DEFAULT 0);"
    expect_out "INSERT INTO new_t (id, a) SELECT id, a FROM t;"
    expect_out "DROP VIEW v;"
    expect_out "DROP TRIGGER t_ins;"
}

test_schema_sqlite_indexes_and_views() {
    sqs_roundtrip \
        "CREATE TABLE t (id INTEGER PRIMARY KEY, email TEXT, deleted INTEGER);
         CREATE INDEX t_email ON t (email);
         CREATE VIEW live AS SELECT email FROM t WHERE deleted = 0;" \
        "CREATE TABLE t (id INTEGER PRIMARY KEY, email TEXT, deleted INTEGER);
         CREATE UNIQUE INDEX t_email ON t (lower(email)) WHERE deleted = 0;
         CREATE INDEX t_deleted ON t (deleted);
         CREATE VIEW live AS SELECT email, id FROM t WHERE deleted = 0;
         CREATE VIEW live_count AS SELECT count(*) AS n FROM live;" \
        "INSERT INTO t VALUES (1, 'A@x', 0);" "SELECT n FROM live_count" "1"
    expect_out "CREATE UNIQUE INDEX t_email ON t(lower(email)) WHERE deleted = 0;"
    expect_no_out "new_t"
}

test_schema_sqlite_renames() {
    sqs_roundtrip \
        "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT);
         CREATE INDEX t_a ON t (a);
         CREATE TABLE child (id INTEGER PRIMARY KEY, t_id INTEGER REFERENCES t (id));" \
        "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT);
         CREATE INDEX t_a ON people (name);
         CREATE TABLE child (id INTEGER PRIMARY KEY, t_id INTEGER REFERENCES people (id));" \
        "INSERT INTO t VALUES (1, 'ann'); INSERT INTO child VALUES (9, 1);" \
        "SELECT p.name FROM child c JOIN people p ON p.id = c.t_id" "ann" \
        --rename t=people,t.a=name
    expect_out "ALTER TABLE t RENAME TO people;"
    expect_out "ALTER TABLE people RENAME COLUMN a TO name;"
    expect_no_out "DROP"
}

test_schema_sqlite_destructive_refused() {
    sq a.db "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT); CREATE TABLE gone (id INTEGER);"
    sq b.db "CREATE TABLE t (id INTEGER PRIMARY KEY);"
    raw --url sqlite:a.db diff sqlite:a.db sqlite:b.db
    expect_rc 7
    expect_err "destructive"
    raw --url sqlite:a.db diff sqlite:a.db sqlite:b.db --allow-destructive --json
    expect_rc 0
    [ "$(json_get '[.[] | select(.destructive)] | length')" = 2 ] || fail "expected 2 destructive changes"
    json_get '.[].up' | grep -qF "DROP TABLE gone;" || fail "no DROP TABLE"
    json_get '.[].down' | grep -qF "CREATE TABLE gone (id INTEGER);" || fail "the drop has no reverse"
}
