# test_commands.sh: every command's everyday use: init, new, status --json,
# plan, migrate (--dry-run, --to, the up alias), down (--steps, --to,
# --dry-run), baseline, repair, verify, help; and where the configuration
# comes from (flags > environment > [env] > [database] > default).

# rows in the history table, 0 when it does not exist yet
hist_rows() {
    if [ "$DRIVER" = postgres ]; then
        if [ "$(sql "SELECT to_regclass('$(history_table)') IS NOT NULL")" = t ]; then
            sql "SELECT count(*) FROM $(history_table) ${1:+WHERE $1}"
        else
            echo 0
        fi
    elif [ -e "$T/test.db" ] && [ "$(sql "SELECT count(*) FROM sqlite_master WHERE name = 'strata_history'")" = 1 ]; then
        sql "SELECT count(*) FROM strata_history ${1:+WHERE $1}"
    else
        echo 0
    fi
}

# no_history FILE: the SQLite file does not exist or has no strata tables
no_history() {
    [ ! -e "$1" ] || [ "$(sqlite3 "$1" "SELECT count(*) FROM sqlite_master WHERE name LIKE 'strata%'")" = 0 ]
}

states() {
    st status --json
    expect_rc 0
    json_get '[.migrations[] | "\(.version // "R"):\(.state)"] | join(" ")'
}

# four native migrations with downs
four_migrations() {
    local i
    for i in 1 2 3 4; do
        mig "000${i}_t$i.sql" <<SQL
-- strata:up
CREATE TABLE t$i (x integer);
INSERT INTO t$i (x) VALUES ($i);
-- strata:down
DROP TABLE t$i;
SQL
    done
}

# ---- init and new ----------------------------------------------------------------

test_init_creates_and_is_idempotent() {
    rmdir migrations
    raw init
    expect_rc 0
    expect_out "created strata.conf"
    expect_out "created migrations/repeatable"
    [ -f strata.conf ] || fail "no strata.conf"
    [ -d migrations/repeatable ] || fail "no migrations/repeatable"
    grep -q '^\[database\]' strata.conf || fail "strata.conf lacks [database]"
    grep -q '^\[migrations\]' strata.conf || fail "strata.conf lacks [migrations]"
    # the scaffold is a valid config
    raw status
    expect_rc 0
    # a second init changes nothing, and says so
    echo "# my edit" >> strata.conf
    local before
    before=$(sha256sum strata.conf)
    raw init
    expect_rc 0
    expect_out "exists  strata.conf"
    expect_out "exists  migrations/repeatable"
    [ "$(sha256sum strata.conf)" = "$before" ] || fail "init overwrote strata.conf"
    # init DIR scaffolds elsewhere
    raw init sub/project
    expect_rc 0
    [ -f sub/project/strata.conf ] || fail "init DIR: no strata.conf"
    [ -d sub/project/migrations/repeatable ] || fail "init DIR: no migrations/repeatable"
}

test_new_native_numbering() {
    st new create_users
    expect_rc 0
    expect_out "migrations/0001_create_users.sql"
    [ -f migrations/0001_create_users.sql ] || fail "0001 missing"
    grep -qx -- '-- strata:up' migrations/0001_create_users.sql || fail "no up marker"
    grep -qx -- '-- strata:down' migrations/0001_create_users.sql || fail "no down marker"
    st new add_email
    expect_rc 0
    [ -f migrations/0002_add_email.sql ] || fail "0002 missing"
    # a name with spaces and capitals becomes snake_case
    st new "Add Last Login At"
    expect_rc 0
    [ -f migrations/0003_add_last_login_at.sql ] || fail "snake_case name: $(ls migrations)"
    st new --repeatable "Active Users View"
    expect_rc 0
    [ -f migrations/repeatable/active_users_view.sql ] || fail "repeatable: $(ls -R migrations)"
    # the next number follows the newest version, not the file count
    mig 0009_jump.sql <<'SQL'
SELECT 1;
SQL
    st new after_jump
    expect_rc 0
    [ -f migrations/0010_after_jump.sql ] || fail "after 0009: $(ls migrations)"
    # what new writes is a valid, empty migration
    st status --json
    expect_rc 0
    [ "$(json_get '.migrations | length')" = 6 ] || fail "status sees $(json_get '.migrations | length')"
    # a name with nothing usable is bad input, and creates nothing
    local n
    n=$(find migrations -type f | wc -l)
    st new '!!!'
    expect_rc 3
    [ "$(find migrations -type f | wc -l)" = "$n" ] || fail "a file was created"
    st new
    expect_rc 2
}

test_new_in_other_formats() {
    mig V1__init.sql <<'SQL'
SELECT 1;
SQL
    st new add_things
    expect_rc 0
    [ -f migrations/V2__add_things.sql ] || fail "flyway: $(ls migrations)"
    st new --repeatable views
    expect_rc 0
    [ -f migrations/R__views.sql ] || fail "flyway R: $(ls migrations)"
    rm migrations/*
    mig 001_init.up.sql <<'SQL'
SELECT 1;
SQL
    st new "more stuff"
    expect_rc 0
    [ -f migrations/002_more_stuff.up.sql ] && [ -f migrations/002_more_stuff.down.sql ] ||
        fail "golang: $(ls migrations)"
    st new --repeatable views
    expect_rc 3
    expect_err "no repeatable"
}

test_new_and_migrate_roundtrip() {
    st new create_users
    cat > migrations/0001_create_users.sql <<'SQL'
-- strata:up
CREATE TABLE users (id integer);
-- strata:down
DROP TABLE users;
SQL
    st up
    expect_rc 0
    expect_out "applied 1 migration"
    table_exists users || fail "users missing"
}

# ---- status --json ---------------------------------------------------------------------

test_both_status_json_shape() {
    four_migrations
    mig repeatable/v.sql <<'SQL'
DROP VIEW IF EXISTS v;
CREATE VIEW v AS SELECT x FROM t1;
SQL
    st status --json
    expect_rc 0
    [ "$(json_get .command)" = status ] || fail "command"
    [ "$(json_get .format)" = native ] || fail "format"
    [ "$(json_get .ok)" = true ] || fail "ok"
    [ "$(json_get .target)" = "$DBURL" ] || fail "target: $(json_get .target)"
    [ "$(json_get '.migrations | length')" = 5 ] || fail "5 rows"
    [ "$(json_get '.summary.pending')" = 5 ] || fail "summary"
    # every row has every field
    [ "$(json_get '[.migrations[] | keys | sort] | unique | length')" = 1 ] || fail "rows differ in keys"
    [ "$(json_get '.migrations[0] | keys | sort | join(",")')" = \
      "applied_at,applied_by,applied_checksum,checksum,duration_ms,env,kind,name,no_transaction,note,path,reason,state,version" ] ||
        fail "keys: $(json_get '.migrations[0] | keys | sort | join(",")')"
    [ "$(json_get '.migrations[0].checksum | test("^[0-9a-f]{64}$")')" = true ] || fail "checksum form"
    [ "$(json_get '.migrations[0].checksum')" = "$(sha256sum migrations/0001_t1.sql | cut -d' ' -f1)" ] ||
        fail "checksum is not the file's SHA-256"
    [ "$(json_get '.migrations[4] | "\(.kind) \(.name) \(.version) \(.path)"')" = "repeatable v null repeatable/v.sql" ] ||
        fail "repeatable row: $(json_get '.migrations[4]')"

    st migrate --to 2
    expect_rc 0
    st status --json
    [ "$(json_get '.summary | to_entries | map("\(.key)=\(.value)") | sort | join(" ")')" = "applied=2 pending=3" ] ||
        fail "summary: $(json_get .summary)"
    # summary counts match the rows
    [ "$(json_get '([.migrations[] | .state] | group_by(.) | map({(.[0]): length}) | add) == .summary')" = true ] ||
        fail "summary does not match rows"
    local row
    row=$(json_get '.migrations[] | select(.version == "1")')
    [ "$(jq -r .state <<<"$row")" = applied ] || fail "state"
    [ "$(jq -r .applied_checksum <<<"$row")" = "$(jq -r .checksum <<<"$row")" ] || fail "applied_checksum"
    [ "$(jq -r '.applied_at | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$")' <<<"$row")" = true ] ||
        fail "applied_at not ISO 8601 UTC: $(jq -r .applied_at <<<"$row")"
    [ -n "$(jq -r '.applied_by // empty' <<<"$row")" ] || fail "applied_by empty"
    [ "$(jq -r '.duration_ms | type' <<<"$row")" = number ] || fail "duration_ms"
    [ "$(jq -r .reason <<<"$row")" = null ] || fail "reason of an applied row"
    row=$(json_get '.migrations[] | select(.version == "3")')
    [ "$(jq -r '"\(.state)|\(.applied_at)|\(.applied_checksum)|\(.duration_ms)"' <<<"$row")" = "pending|null|null|null" ] ||
        fail "pending row: $row"
    [ "$(jq -r .reason <<<"$row")" = "not applied yet" ] || fail "reason"
}

test_status_text_summary() {
    four_migrations
    st migrate --to 3
    rm migrations/0002_t2.sql
    echo "-- edit" >> migrations/0003_t3.sql
    st status
    expect_rc 0
    expect_out "1 applied, 1 pending, 1 changed, 1 missing"
    expect_out "applied, but its file is gone"
    expect_out "the file changed after it was applied"
}

# ---- plan and dry runs --------------------------------------------------------------------

test_both_plan_prints_sql_and_changes_nothing() {
    mig 0001_users.sql <<'SQL'
-- strata:up
CREATE TABLE users (id integer PRIMARY KEY);
INSERT INTO users (id) VALUES (1);
-- strata:down
DROP TABLE users;
SQL
    mig 0002_orders.sql <<'SQL'
-- strata:no-transaction
CREATE TABLE orders (id integer);
SQL
    st plan
    expect_rc 0
    [ "$OUT" = "-- [1/2] apply 1 users (pending: not applied yet), in a transaction
CREATE TABLE users (id integer PRIMARY KEY);
INSERT INTO users (id) VALUES (1);

-- [2/2] apply 2 orders (pending: not applied yet), no transaction
-- strata:no-transaction
CREATE TABLE orders (id integer);" ] || fail "plan text differs"
    ! table_exists users || fail "plan created users"
    [ "$(hist_rows)" = 0 ] || fail "plan wrote history"
    if [ "$DRIVER" = postgres ]; then
        [ "$(sql "SELECT count(*) FROM pg_namespace WHERE nspname = 'strata'")" = 0 ] || fail "plan created the strata schema"
    fi
    st plan --json
    expect_rc 0
    [ "$(json_get .command)" = plan ] || fail "command"
    [ "$(json_get '.migrations[0].sql')" = "CREATE TABLE users (id integer PRIMARY KEY);
INSERT INTO users (id) VALUES (1);" ] || fail "json sql: $(json_get '.migrations[0].sql')"
    [ "$(json_get '[.migrations[] | .action] | join(",")')" = "apply,apply" ] || fail "actions"
    [ "$(json_get '[.migrations[] | .done] | map(tostring) | join(",")')" = "false,false" ] || fail "done flags"
    # migrate --dry-run prints the same plan
    local plan
    st plan
    plan=$OUT
    st migrate --dry-run
    expect_rc 0
    [ "$OUT" = "$plan" ] || fail "migrate --dry-run differs from plan"
    ! table_exists users || fail "--dry-run created users"
    [ "$(hist_rows)" = 0 ] || fail "--dry-run wrote history"
    st migrate -n --to 1
    expect_rc 0
    expect_out "[1/1] apply 1 users"
    expect_no_out "orders"
    # nothing to do
    st migrate
    st plan
    expect_rc 0
    [ "$OUT" = "-- nothing to apply" ] || fail "empty plan: $OUT"
}

# ---- migrate --to, down --steps / --to / --dry-run ------------------------------------------

test_both_migrate_to_and_down() {
    four_migrations
    st migrate --to 2
    expect_rc 0
    expect_out "applied 2 migrations"
    [ "$(states)" = "1:applied 2:applied 3:pending 4:pending" ] || fail "--to 2: $(states)"
    # --to accepts the version as written in the file name
    st migrate --to 0003
    expect_rc 0
    [ "$(states)" = "1:applied 2:applied 3:applied 4:pending" ] || fail "--to 0003: $(states)"
    st migrate
    expect_rc 0
    expect_out "applied 1 migration"

    # down --dry-run: prints the down SQL, changes nothing
    st down --dry-run --steps 2
    expect_rc 0
    expect_out "-- [1/2] revert 4 t4"
    expect_out "DROP TABLE t4;"
    expect_out "-- [2/2] revert 3 t3"
    table_exists t4 || fail "--dry-run dropped t4"
    [ "$(hist_rows "kind = 'undo'")" = 0 ] || fail "--dry-run wrote undo rows"

    st down --steps 2
    expect_rc 0
    expect_out "reverting 4 t4"
    expect_out "reverting 3 t3"
    expect_out "reverted 2 migrations"
    ! table_exists t4 || fail "t4 still there"
    ! table_exists t3 || fail "t3 still there"
    [ "$(states)" = "1:applied 2:applied 3:pending 4:pending" ] || fail "after --steps 2: $(states)"

    st migrate
    st down --to 1
    expect_rc 0
    expect_out "reverted 3 migrations"
    [ "$(states)" = "1:applied 2:pending 3:pending 4:pending" ] || fail "after --to 1: $(states)"
    table_exists t1 || fail "--to 1 undid 1 itself"
    # down with nothing newer than --to does nothing
    st down --to 1
    expect_rc 0
    expect_out "nothing to undo"
    st down
    expect_rc 0
    [ "$(states)" = "1:pending 2:pending 3:pending 4:pending" ] || fail "all down: $(states)"
    st down
    expect_rc 0
    expect_out "nothing to undo"
    # the log keeps everything: 4 + 2 applies, 2 + 3 + 1 undos
    [ "$(hist_rows "kind = 'versioned'")" = 6 ] || fail "versioned rows: $(hist_rows "kind = 'versioned'")"
    [ "$(hist_rows "kind = 'undo'")" = 6 ] || fail "undo rows: $(hist_rows "kind = 'undo'")"
    # and it can all be applied again
    st migrate
    expect_rc 0
    expect_out "applied 4 migrations"
}

test_both_up_alias() {
    four_migrations
    st up --to 1
    expect_rc 0
    expect_out "applied 1 migration"
    st up -n
    expect_rc 0
    expect_out "-- [1/3] apply 2 t2"
    st up
    expect_rc 0
    [ "$(states)" = "1:applied 2:applied 3:applied 4:applied" ] || fail "$(states)"
    st up --help
    expect_rc 0
    expect_out "Alias of 'strata migrate'"
}

test_both_quiet() {
    four_migrations
    st -q migrate
    expect_rc 0
    [ -z "$OUT" ] || fail "-q printed: $OUT"
    st down -q
    expect_rc 0
    [ -z "$OUT" ] || fail "-q printed: $OUT"
    table_exists t3 || fail "down -q undid too much"
    ! table_exists t4 || fail "down -q did nothing"
}

# ---- baseline -----------------------------------------------------------------------------

test_both_baseline() {
    four_migrations
    # an existing database already has t1 and t2
    sql "CREATE TABLE t1 (x integer)"
    sql "CREATE TABLE t2 (x integer)"
    st baseline 2 --description "legacy schema"
    expect_rc 0
    expect_out "at version 2"
    [ "$(states)" = "2:baseline 1:below-baseline 2:below-baseline 3:pending 4:pending" ] ||
        fail "after baseline: $(states)"
    st status
    expect_out "2 below-baseline"
    [ "$(sql "SELECT kind || '|' || version || '|' || name FROM $(history_table)")" = "baseline|2|legacy schema" ] ||
        fail "baseline row"
    st migrate
    expect_rc 0
    expect_out "applied 2 migrations"
    [ "$(sql "SELECT count(*) FROM t1")" = 0 ] || fail "0001 ran below the baseline"
    [ "$(sql "SELECT x FROM t3")" = 3 ] || fail "0003 did not run"
    # a database with history cannot be baselined
    st baseline 3
    expect_rc 3
    expect_err "already has a migration history"
    [ "$(hist_rows "kind = 'baseline'")" = 1 ] || fail "second baseline row"
    st baseline
    expect_rc 2
}

test_both_baseline_refused_after_migrate() {
    four_migrations
    st migrate --to 1
    st baseline 3
    expect_rc 3
    expect_err "history"
    [ "$(hist_rows "kind = 'baseline'")" = 0 ] || fail "baseline row written"
    [ "$(states)" = "1:applied 2:pending 3:pending 4:pending" ] || fail "$(states)"
    st baseline abc
    expect_rc 3
}

# ---- repair and verify -----------------------------------------------------------------------

test_both_verify_and_repair() {
    four_migrations
    st migrate
    st verify
    expect_rc 0
    expect_out "verified 4 applied migrations"
    st verify --json
    expect_rc 0
    [ "$(json_get .ok)" = true ] || fail "ok"
    [ "$(json_get '.summary.applied')" = 4 ] || fail "summary"

    echo "-- reformatted" >> migrations/0002_t2.sql
    st verify
    expect_rc 1
    expect_out "changed"
    expect_out "0002_t2.sql"
    expect_err "differs from the files"
    st verify --json
    expect_rc 1
    [ "$(json_get .ok)" = false ] || fail "ok should be false"
    [ "$(json_get '.summary.changed')" = 1 ] || fail "summary.changed"
    [ "$(json_get '.migrations[] | select(.state == "changed") | .path')" = 0002_t2.sql ] || fail "changed row"
    [ "$(json_get '.error.code')" = 1 ] || fail "error.code"

    local before
    before=$(sql "SELECT checksum FROM $(history_table) WHERE version = '2'")
    st repair --dry-run
    expect_rc 0
    expect_out "would 2 t2: store the file's new checksum"
    [ "$(sql "SELECT checksum FROM $(history_table) WHERE version = '2'")" = "$before" ] ||
        fail "repair --dry-run changed the checksum"
    st verify
    expect_rc 1
    st repair
    expect_rc 0
    expect_out "done: 2 t2"
    [ "$(sql "SELECT checksum FROM $(history_table) WHERE version = '2'")" = \
      "$(sha256sum migrations/0002_t2.sql | cut -d' ' -f1)" ] || fail "checksum not realigned"
    st verify
    expect_rc 0
    st repair
    expect_rc 0
    expect_out "nothing to repair"
    # the audit log has it
    if [ "$DRIVER" = postgres ]; then
        [ "$(sql "SELECT count(*) FROM strata.strata_audit")" -ge 1 ] || fail "no audit row"
    else
        [ "$(sql "SELECT count(*) FROM strata_audit")" -ge 1 ] || fail "no audit row"
    fi
    # a missing file also fails verify
    rm migrations/0004_t4.sql
    st verify
    expect_rc 1
    expect_out "missing"
}

# ---- help ------------------------------------------------------------------------------------------

test_help() {
    raw --help
    expect_rc 0
    expect_out "usage: strata"
    local c
    for c in init new status migrate up down plan baseline repair verify help version; do
        grep -qE "^  $c " <<<"$OUT" || fail "--help does not list $c"
    done
    expect_out "Exit codes"
    raw migrate --help
    expect_rc 0
    expect_out "usage: strata migrate"
    expect_out "--allow-out-of-order"
    expect_out "--dry-run"
    expect_out "--to VERSION"
    raw help status
    expect_rc 0
    expect_out "usage: strata status"
    raw help
    expect_rc 0
    expect_out "commands:"
    raw down -h
    expect_rc 0
    expect_out "--steps N"
    raw help nosuchcommand
    expect_rc 2
    raw
    expect_rc 2
    expect_err "usage: strata"
    raw version
    expect_rc 0
    expect_out "strata "
    local v=$OUT
    raw --version
    expect_rc 0
    [ "$OUT" = "$v" ] || fail "--version and version differ"
    # help never touches a database
    [ ! -e strata.db ] || fail "help created strata.db"
}

# ---- configuration precedence ----------------------------------------------------------------

test_config_url_precedence() {
    mig 0001_a.sql <<'SQL'
CREATE TABLE a (x integer);
SQL
    printf '[database]\nurl = sqlite:conf.db\n\n[env "dev"]\nurl = sqlite:dev.db\n' > strata.conf
    raw status --json
    expect_rc 0
    [ "$(json_get .target)" = sqlite:conf.db ] || fail "[database]: $(json_get .target)"
    raw --env dev status --json
    [ "$(json_get .target)" = sqlite:dev.db ] || fail "[env dev]: $(json_get .target)"
    STRATA_ENV=dev raw status --json
    [ "$(json_get .target)" = sqlite:dev.db ] || fail "STRATA_ENV: $(json_get .target)"
    DATABASE_URL=sqlite:envvar.db raw --env dev status --json
    [ "$(json_get .target)" = sqlite:envvar.db ] || fail "DATABASE_URL over [env]: $(json_get .target)"
    DATABASE_URL=sqlite:envvar.db raw --env dev --url sqlite:flag.db status --json
    [ "$(json_get .target)" = sqlite:flag.db ] || fail "--url over DATABASE_URL: $(json_get .target)"
    # an empty DATABASE_URL is as good as unset
    DATABASE_URL='' raw status --json
    [ "$(json_get .target)" = sqlite:conf.db ] || fail "empty DATABASE_URL: $(json_get .target)"
    # and the migration really goes where the URL points
    DATABASE_URL=sqlite:envvar.db raw --env dev migrate
    expect_rc 0
    [ "$(sqlite3 envvar.db "SELECT count(*) FROM strata_history")" = 1 ] || fail "envvar.db not migrated"
    # (status may leave empty files behind: see test_sqlite_readers_create_no_file)
    for f in conf.db dev.db flag.db; do
        no_history "$f" || fail "$f was migrated"
    done
    raw --env dev migrate
    expect_rc 0
    [ "$(sqlite3 dev.db "SELECT count(*) FROM strata_history")" = 1 ] || fail "dev.db not migrated"
    no_history conf.db || fail "conf.db migrated"
}

test_config_default_url_beside_conf() {
    mkdir -p proj/migrations elsewhere
    printf '[migrations]\ndir = migrations\n' > proj/strata.conf
    cat > proj/migrations/0001_a.sql <<'SQL'
CREATE TABLE a (x integer);
SQL
    cd elsewhere
    raw -C ../proj migrate
    expect_rc 0
    expect_out "applied 1 migration"
    [ -f ../proj/strata.db ] || fail "strata.db not beside strata.conf: $(ls -R "$T")"
    [ ! -e strata.db ] || fail "strata.db created in the current folder"
    [ "$(sqlite3 ../proj/strata.db "SELECT count(*) FROM a")" = 0 ] || fail "table a missing"
    # --config alone puts the project beside the file as well
    raw --config ../proj/strata.conf status --json
    expect_rc 0
    [ "$(json_get '.migrations[0].state')" = applied ] || fail "--config: $(json_get .target)"
    STRATA_CONFIG=../proj/strata.conf raw status --json
    expect_rc 0
    [ "$(json_get '.migrations[0].state')" = applied ] || fail "STRATA_CONFIG: $(json_get .target)"
    # a relative sqlite URL in strata.conf is relative to strata.conf too
    printf '[database]\nurl = sqlite:data/app.db\n' > ../proj/strata.conf
    mkdir -p ../proj/data
    raw -C ../proj migrate
    expect_rc 0
    [ -f ../proj/data/app.db ] || fail "relative config URL not resolved against strata.conf"
    [ ! -e data ] || fail "data/ created in the current folder"
    cd "$T"
}

test_config_default_url_no_conf() {
    mig 0001_a.sql <<'SQL'
CREATE TABLE a (x integer);
SQL
    raw migrate
    expect_rc 0
    [ -f strata.db ] || fail "default strata.db not created"
    mkdir other
    cd other
    raw -C .. status --json
    cd "$T"
    [ "$(json_get '.migrations[0].state')" = applied ] || fail "-C DIR without strata.conf: $(json_get .target)"
    [ ! -e other/strata.db ] || fail "strata.db created in the current folder"
}

test_config_migrations_dir_precedence() {
    mkdir -p conf_dir env_dir flag_dir
    local d
    for d in conf_dir env_dir flag_dir; do
        echo "CREATE TABLE from_$d (x integer);" > "$d/0001_$d.sql"
    done
    printf '[migrations]\ndir = conf_dir\n' > strata.conf
    st status --json
    [ "$(json_get '.migrations[0].name')" = conf_dir ] || fail "[migrations] dir"
    STRATA_MIGRATIONS_DIR=env_dir st status --json
    [ "$(json_get '.migrations[0].name')" = env_dir ] || fail "STRATA_MIGRATIONS_DIR"
    STRATA_MIGRATIONS_DIR=env_dir st --migrations flag_dir status --json
    [ "$(json_get '.migrations[0].name')" = flag_dir ] || fail "--migrations"
    STRATA_MIGRATIONS_DIR=env_dir st -m flag_dir migrate
    expect_rc 0
    table_exists from_flag_dir || fail "migrated from the wrong folder"
    ! table_exists from_env_dir || fail "env_dir used"
    # [env] dir over [migrations] dir
    printf '[migrations]\ndir = conf_dir\n[env "e"]\ndir = env_dir\n' > strata.conf
    st --env e status --json
    [ "$(json_get '.migrations[0].name')" = env_dir ] || fail "[env] dir"
}

test_pg_config_schemas_created_first() {
    printf '[database]\nschemas = fin, tagging\n' > strata.conf
    mig 0001_tables.sql <<'SQL'
CREATE TABLE fin.accounts (id integer);
CREATE TABLE tagging.tags (id integer);
SQL
    # status only reads: no schema yet
    st status
    expect_rc 0
    [ "$(sql "SELECT count(*) FROM pg_namespace WHERE nspname IN ('fin', 'tagging')")" = 0 ] ||
        fail "status created schemas"
    st migrate
    expect_rc 0
    [ "$(sql "SELECT count(*) FROM pg_namespace WHERE nspname IN ('fin', 'tagging')")" = 2 ] ||
        fail "schemas missing"
    [ "$(sql "SELECT to_regclass('fin.accounts') IS NOT NULL AND to_regclass('tagging.tags') IS NOT NULL")" = t ] ||
        fail "tables missing"
    # running again with schemas that exist is fine
    st migrate
    expect_rc 0
}

test_pg_history_schema() {
    printf '[database]\nschema = bookkeeping\n' > strata.conf
    mig 0001_a.sql <<'SQL'
CREATE TABLE a (x integer);
SQL
    st migrate
    expect_rc 0
    [ "$(sql "SELECT count(*) FROM bookkeeping.strata_history")" = 1 ] || fail "history not in bookkeeping"
    [ "$(sql "SELECT count(*) FROM pg_namespace WHERE nspname = 'strata'")" = 0 ] || fail "strata schema created"
    # --schema beats the config: another project's history in the same database
    st --schema other status --json
    [ "$(json_get '.migrations[0].state')" = pending ] || fail "--schema other sees bookkeeping's history"
    # a schema name that needs quoting is found again on the next run
    mkdir -p other
    printf 'CREATE TABLE b (x integer);\n' > other/0001_b.sql
    st --schema 'Book Keeping' --migrations other migrate
    expect_rc 0
    st --schema 'Book Keeping' --migrations other migrate
    expect_rc 0
    expect_out "nothing to migrate"
    st --schema 'Book Keeping' --migrations other status --json
    [ "$(json_get '.migrations[0].state')" = applied ] || fail "the history in \"Book Keeping\" was not found"
}

# The history is a log replayed in rank order, whatever order the table
# returns its rows in: an UPDATE (finish, repair) puts a row's new version
# after later rows, so reading without sorting would replay an old undo last.
test_pg_history_read_in_rank_order() {
    four_migrations
    st migrate
    expect_rc 0
    st down
    expect_rc 0
    st migrate
    expect_rc 0
    local all="1:applied 2:applied 3:applied 4:applied" order
    [ "$(states)" = "$all" ] || fail "after migrate, down, migrate: $(states)"
    # move the undo row (rank 5) physically after the second apply (rank 6)
    sql "UPDATE $(history_table) SET note = note WHERE rank = 5" > /dev/null
    order=$(sql "SELECT string_agg(rank::text, ' ') FROM $(history_table)")
    [ "$order" = "1 2 3 4 6 5" ] || fail "the UPDATE did not reorder the table: $order"
    [ "$(states)" = "$all" ] || fail "history replayed out of rank order: $(states)"
    st migrate
    expect_rc 0
    expect_out "nothing to migrate"
}

# ---- readers create nothing ---------------------------------------------------------------

test_pg_readers_create_nothing() {
    mig 0001_a.sql <<'SQL'
CREATE TABLE a (x integer);
SQL
    local c
    for c in status verify plan "migrate --dry-run" "down --dry-run" "repair --dry-run"; do
        # shellcheck disable=SC2086
        st $c
        expect_rc 0
    done
    [ "$(sql "SELECT count(*) FROM pg_namespace WHERE nspname = 'strata'")" = 0 ] || fail "a reader created the strata schema"
}

test_sqlite_readers_create_no_file() {
    # status "reads only; creates nothing": not even an empty database file
    mig 0001_a.sql <<'SQL'
CREATE TABLE a (x integer);
SQL
    local c
    for c in status verify plan "migrate --dry-run"; do
        # shellcheck disable=SC2086
        raw --url "sqlite:$T/typo.db" $c
        expect_rc 0
        [ ! -e "$T/typo.db" ] || fail "'strata $c' created the SQLite file typo.db"
    done
}

# ---- more everyday cases ----------------------------------------------------------------------

test_both_empty_folder() {
    st status
    expect_rc 0
    expect_out "0 applied, 0 pending"
    st status --json
    [ "$(json_get '.migrations | length')" = 0 ] || fail "rows in an empty folder"
    [ "$(json_get '.summary | length')" = 0 ] || fail "summary of an empty folder"
    st migrate
    expect_rc 0
    expect_out "nothing to migrate"
    st down
    expect_rc 0
    expect_out "nothing to undo"
    st verify
    expect_rc 0
}

test_both_migrate_json() {
    four_migrations
    st migrate --to 2 --json
    expect_rc 0
    [ "$(json_get .command)" = migrate ] || fail "command"
    [ "$(json_get .ok)" = true ] || fail "ok"
    [ "$(json_get '[.migrations[] | "\(.version):\(.action):\(.done)"] | join(" ")')" = "1:apply:true 2:apply:true" ] ||
        fail "rows: $(json_get '.migrations')"
    [ "$(json_get '.migrations[0].sql')" = null ] || fail "sql only in plans"
    # progress lines stay out of the JSON document
    jq -e . <<<"$OUT" >/dev/null || fail "stdout is not one JSON document"
    st down --json --steps 2
    expect_rc 0
    [ "$(json_get '[.migrations[] | "\(.version):\(.action):\(.done)"] | join(" ")')" = "2:revert:true 1:revert:true" ] ||
        fail "down rows: $(json_get '.migrations')"
}

test_both_down_to_zero_undoes_everything() {
    four_migrations
    st migrate
    st down --to 0
    expect_rc 0
    expect_out "reverted 4 migrations"
    [ "$(states)" = "1:pending 2:pending 3:pending 4:pending" ] || fail "$(states)"
}

test_new_timestamp_formats_unique() {
    # dbmate and diesel versions are timestamps: two 'new' in one second must
    # still give two versions, or the folder stops loading
    mig 20240101000000_init.sql <<'SQL'
-- migrate:up
SELECT 1;
-- migrate:down
SELECT 1;
SQL
    st new first
    expect_rc 0
    st new second
    expect_rc 0
    st status
    expect_rc 0
    [ "$(ls migrations | wc -l)" = 3 ] || fail "files: $(ls migrations)"
}

test_both_repair_forgets_missing_repeatable() {
    # verify flags an applied repeatable whose file is gone and says repair
    # fixes it; repair must then do something about it
    mig 0001_a.sql <<'SQL'
CREATE TABLE a (x integer);
SQL
    mig repeatable/v.sql <<'SQL'
CREATE VIEW v AS SELECT x FROM a;
SQL
    st migrate
    expect_rc 0
    rm migrations/repeatable/v.sql
    st verify
    expect_rc 1
    expect_out "missing"
    expect_err "strata repair"
    st repair
    expect_rc 0
    st verify
    expect_rc 0
}

test_config_flag_paths_relative_to_cwd() {
    # paths in strata.conf are relative to strata.conf; paths given as flags
    # or in the environment are relative to the current folder
    mkdir -p proj/migrations envmig flagmig
    printf '[database]\nurl = sqlite:conf.db\n' > proj/strata.conf
    echo "CREATE TABLE from_conf (x integer);" > proj/migrations/0001_conf.sql
    echo "CREATE TABLE from_env (x integer);" > envmig/0001_env.sql
    echo "CREATE TABLE from_flag (x integer);" > flagmig/0001_flag.sql
    STRATA_MIGRATIONS_DIR=envmig raw -C proj status --json
    expect_rc 0
    [ "$(json_get '.migrations[0].name')" = env ] || fail "STRATA_MIGRATIONS_DIR not relative to cwd"
    raw -C proj --migrations flagmig --url sqlite:flag.db migrate
    expect_rc 0
    [ -f flag.db ] || fail "--url sqlite:flag.db not relative to cwd: $(ls -R)"
    [ ! -e proj/flag.db ] || fail "--url path resolved against the project"
    [ "$(sqlite3 flag.db "SELECT name FROM strata_history")" = flag ] || fail "wrong folder migrated"
    DATABASE_URL=sqlite:env.db raw -C proj migrate
    expect_rc 0
    [ -f env.db ] || fail "DATABASE_URL path not relative to cwd"
    [ "$(sqlite3 env.db "SELECT name FROM strata_history")" = conf ] || fail "env.db: wrong folder"
    raw -C proj migrate
    expect_rc 0
    [ "$(sqlite3 proj/conf.db "SELECT name FROM strata_history")" = conf ] || fail "conf.db not beside strata.conf"
}
