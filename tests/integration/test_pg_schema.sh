# test_pg_schema.sh: the schema model on PostgreSQL, end to end.
#
# tests/schema/pairs/NNN_name/{a,b}.sql are small hand-written schema pairs,
# each focused on one kind of object or change. For every pair the round trip
#     A --(strata diff A B)--> B --(strata diff A B --down)--> A
# must land exactly: after the up script, `strata inspect` of A equals that of
# B byte for byte and so does a normalized pg_dump --schema-only; after the
# down script, inspect of A equals A's original inspect (and its pg_dump).
# tests/schema/large.sql is a realistic large schema, built from nothing and
# torn down again the same way.
#
# On a failure the pair's name, its up and down scripts (numbered, as psql's
# error lines refer to them) and a unified diff are printed, and a summary
# with one line per failing pair comes last.

PGS_CASES="$STRATA_TEST_ROOT/tests/schema"
PGS_DBS=""   # extra databases this test made; dropped at the end

pgs_url() { echo "postgresql://postgres@/$1?host=$STRATA_TEST_PG_HOST&port=$STRATA_TEST_PG_PORT"; }

pgs_pg_dump_bin() {
    if [ -n "${STRATA_TEST_PG_BINDIR:-}" ] && [ -x "$STRATA_TEST_PG_BINDIR/pg_dump" ]; then
        echo "$STRATA_TEST_PG_BINDIR/pg_dump"
    else
        echo pg_dump
    fi
}

# pgs_fresh DB: (re)create DB empty; remembers it for pgs_cleanup
pgs_fresh() {
    psql -X -q -v ON_ERROR_STOP=1 -d postgres \
        -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1" >/dev/null 2>&1 ||
        { echo "could not create database $1" >&2; exit 1; }
    case " $PGS_DBS " in *" $1 "*) ;; *) PGS_DBS="$PGS_DBS $1" ;; esac
}

pgs_cleanup() {
    local db
    for db in $PGS_DBS; do
        psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
    done
    PGS_DBS=""
}

# pgs_use_cleanup: drop this test's extra databases before teardown_test
pgs_use_cleanup() { trap 'pgs_cleanup; teardown_test' EXIT; }

# pgs_psql_file DB FILE ERRFILE: run FILE on DB, stop at the first error
pgs_psql_file() {
    psql -X -q -v ON_ERROR_STOP=1 -d "$1" -f "$2" >/dev/null 2>"$3"
}

# pgs_dump DB OUTFILE: pg_dump --schema-only, normalized (no comments, blank
# lines, SET / set_config lines or \restrict keys)
pgs_dump() {
    "$(pgs_pg_dump_bin)" --schema-only --no-owner --no-privileges -d "$1" >"$2.raw" 2>"$2.err" ||
        { cat "$2.err" >&2; echo "pg_dump of $1 failed" >&2; return 1; }
    sed -E -e '/^--/d' -e '/^[[:space:]]*$/d' -e '/^SET /d' \
        -e '/^SELECT pg_catalog\.set_config/d' -e '/^\\(un)?restrict /d' "$2.raw" >"$2"
    rm -f "$2.raw" "$2.err"
}

# pgs_run OUTFILE ERRFILE ARGS...: strata ARGS, stdout to OUTFILE, stderr to
# ERRFILE; sets RC. Returns 1 (and says so) when a sanitizer reported.
pgs_run() {
    local out=$1 err=$2
    shift 2
    set +e
    "$STRATA" "$@" >"$out" 2>"$err"
    RC=$?
    set -e
    if [ "$RC" = 99 ] || [ "$RC" = 98 ] || grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:' "$err"; then
        echo "sanitizer report from: strata $*" >&2
        cat "$err" >&2
        return 1
    fi
    return 0
}

# pgs_inspect DB OUTFILE: strata inspect of DB into OUTFILE; fails the test
# on a non-zero exit
pgs_inspect() {
    pgs_run "$2" "$T/.err" --url "$(pgs_url "$1")" inspect || exit 1
    if [ "$RC" != 0 ]; then
        echo "strata inspect of $1 exited $RC:" >&2
        cat "$T/.err" >&2
        exit 1
    fi
}

# pgs_same WHAT EXPECTED ACTUAL: fail with a unified diff unless identical
pgs_same() {
    if ! cmp -s "$2" "$3"; then
        echo "FAILED: $1" >&2
        diff -u "$2" "$3" | head -200 >&2 || true
        exit 1
    fi
}

# pgs_first_error ERRFILE: the most telling line of a psql or strata error output
pgs_first_error() {
    local line
    line=$(grep -m1 -E 'ERROR|FATAL|error|refused' "$1" 2>/dev/null || true)
    [ -n "$line" ] || line=$(grep -m1 -v '^[[:space:]]*$' "$1" 2>/dev/null || true)
    printf '%s' "${line:-(no message)}"
}

# pgs_first_diff EXPECTED ACTUAL: the first differing line, for the summary
pgs_first_diff() {
    diff -u "$1" "$2" | sed -n '4,$p' | grep -m1 -E '^[-+]' || true
}

# ---------------------------------------------------------------------------
# round trip over every pair
# ---------------------------------------------------------------------------

# pgs_pair_report NAME STAGE DETAIL [EXPECTED ACTUAL]: write a failing
# pair's report (its scripts, the error, the diff between EXPECTED and
# ACTUAL when given) to $R/NAME.report and its summary line to $R/NAME.fail
pgs_pair_report() {
    local name=$1 stage=$2 detail=$3
    {
        echo "=================================================================="
        echo "PAIR $name: $stage"
        echo "  $detail"
        if [ -s "$W/up.sql" ]; then echo "--- up.sql:"; cat -n "$W/up.sql"; fi
        if [ -s "$W/down.sql" ]; then echo "--- down.sql:"; cat -n "$W/down.sql"; fi
        if [ -s "$W/psql.err" ] && [[ "$stage" == *"failed"* || "$stage" == *"load"* ]]; then
            echo "--- psql:"; cat "$W/psql.err"
        fi
        if [ -s "$W/strata.err" ] && [[ "$stage" == diff* || "$stage" == inspect* ]]; then
            echo "--- strata stderr:"; cat "$W/strata.err"
        fi
        if [ $# -ge 5 ]; then
            echo "--- diff (expected vs actual):"
            diff -u "$4" "$5" | head -150 || true
        fi
    } >>"$R/$name.report"
    echo "$name: $stage: $detail" >>"$R/$name.fail"
}

# pgs_pair_strata NAME WHAT OUTFILE ARGS...: strata ARGS into OUTFILE;
# returns 1 after reporting WHAT as the pair's failure (sanitizer, exit code)
pgs_pair_strata() {
    local name=$1 what=$2 out=$3
    shift 3
    if ! pgs_run "$out" "$W/strata.err" "$@" 2>/dev/null; then
        pgs_pair_report "$name" "$what: sanitizer report" "$(grep -m1 -E 'Sanitizer|runtime error' "$W/strata.err")"
        return 1
    fi
    if [ "$RC" != 0 ]; then
        pgs_pair_report "$name" "$what exited $RC" "$(pgs_first_error "$W/strata.err")"
        return 1
    fi
}

# The SQL that empties a database, so pairs reuse their databases: much faster
# than DROP + CREATE DATABASE, and for every pair a database emptied this way
# inspects and dumps the same as a new one. PGS_NEW_DBS=1: DROP + CREATE.
PGS_RESET_SQL="DO \$\$
DECLARE r record;
BEGIN
    FOR r IN SELECT extname FROM pg_catalog.pg_extension WHERE extname <> 'plpgsql' LOOP
        EXECUTE format('DROP EXTENSION IF EXISTS %I CASCADE', r.extname);
    END LOOP;
    FOR r IN SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname !~ '^pg_' AND nspname <> 'information_schema' LOOP
        EXECUTE format('DROP SCHEMA %I CASCADE', r.nspname);
    END LOOP;
END \$\$;
CREATE SCHEMA public AUTHORIZATION pg_database_owner;
GRANT USAGE ON SCHEMA public TO PUBLIC;
COMMENT ON SCHEMA public IS 'standard public schema';"

# pgs_reset DB: empty DB (made new when it does not exist yet, or on PGS_NEW_DBS=1)
pgs_reset() {
    if [ -z "${PGS_NEW_DBS:-}" ] && [ -f "$W/.made_$1" ] &&
        psql -X -q -v ON_ERROR_STOP=1 -d "$1" -c "$PGS_RESET_SQL" >/dev/null 2>"$W/psql.err"; then
        return 0
    fi
    psql -X -q -v ON_ERROR_STOP=1 -d postgres \
        -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1" >/dev/null 2>"$W/psql.err" || return 1
    touch "$W/.made_$1"
}

# pgs_roundtrip_pair DIR DB_A DB_B: one pair, on databases DB_A and DB_B,
# scratch files in $W; failures are reported, never fatal
pgs_roundtrip_pair() {
    local dir=$1 da=$2 db=$3 name ua ub
    name=$(basename "$dir")
    ua=$(pgs_url "$da")
    ub=$(pgs_url "$db")
    rm -f "$W"/*
    if ! pgs_reset "$da" || ! pgs_reset "$db"; then
        pgs_pair_report "$name" "could not empty the databases" "$(pgs_first_error "$W/psql.err")"; return 0
    fi
    if ! pgs_psql_file "$da" "$dir/a.sql" "$W/psql.err"; then
        pgs_pair_report "$name" "a.sql does not load" "$(pgs_first_error "$W/psql.err")"; return 0
    fi
    if ! pgs_psql_file "$db" "$dir/b.sql" "$W/psql.err"; then
        pgs_pair_report "$name" "b.sql does not load" "$(pgs_first_error "$W/psql.err")"; return 0
    fi

    # the two ends, as strata and as pg_dump see them
    pgs_pair_strata "$name" "inspect A" "$W/a.inspect" --url "$ua" inspect || return 0
    pgs_pair_strata "$name" "inspect B" "$W/b.inspect" --url "$ub" inspect || return 0
    if ! pgs_dump "$db" "$W/b.dump" 2>"$W/psql.err"; then
        pgs_pair_report "$name" "pg_dump failed" "$(pgs_first_error "$W/psql.err")"; return 0
    fi
    if [ -n "${PGS_STRICT:-}" ] || cmp -s "$W/a.inspect" "$W/b.inspect"; then
        if ! pgs_dump "$da" "$W/a.dump" 2>"$W/psql.err"; then
            pgs_pair_report "$name" "pg_dump failed" "$(pgs_first_error "$W/psql.err")"; return 0
        fi
    fi
    if cmp -s "$W/a.inspect" "$W/b.inspect"; then
        pgs_pair_report "$name" "inspect sees no difference between A and B" "(pg_dump diff below)" \
            "$W/a.dump" "$W/b.dump"
        return 0
    fi

    # the scripts
    pgs_pair_strata "$name" "diff (up)" "$W/up.sql" --url "$ua" diff "$ua" "$ub" --allow-destructive || return 0
    pgs_pair_strata "$name" "diff --down" "$W/down.sql" --url "$ua" diff "$ua" "$ub" --allow-destructive --down || return 0

    # up: A becomes B
    if ! pgs_psql_file "$da" "$W/up.sql" "$W/psql.err"; then
        pgs_pair_report "$name" "up.sql failed" "$(pgs_first_error "$W/psql.err")"; return 0
    fi
    pgs_pair_strata "$name" "inspect A after up" "$W/a1.inspect" --url "$ua" inspect || return 0
    if ! cmp -s "$W/b.inspect" "$W/a1.inspect"; then
        pgs_pair_report "$name" "up: inspect differs from B" "$(pgs_first_diff "$W/b.inspect" "$W/a1.inspect")" \
            "$W/b.inspect" "$W/a1.inspect"
        return 0
    fi
    pgs_dump "$da" "$W/a1.dump" 2>"$W/psql.err" ||
        { pgs_pair_report "$name" "pg_dump failed" "$(pgs_first_error "$W/psql.err")"; return 0; }
    if ! cmp -s "$W/b.dump" "$W/a1.dump"; then
        pgs_pair_report "$name" "up: pg_dump differs from B" "$(pgs_first_diff "$W/b.dump" "$W/a1.dump")" \
            "$W/b.dump" "$W/a1.dump"
        return 0
    fi

    # down: back to A (as inspect sees it)
    if ! pgs_psql_file "$da" "$W/down.sql" "$W/psql.err"; then
        pgs_pair_report "$name" "down.sql failed" "$(pgs_first_error "$W/psql.err")"; return 0
    fi
    pgs_pair_strata "$name" "inspect A after down" "$W/a2.inspect" --url "$ua" inspect || return 0
    if ! cmp -s "$W/a.inspect" "$W/a2.inspect"; then
        pgs_pair_report "$name" "down: inspect differs from A" "$(pgs_first_diff "$W/a.inspect" "$W/a2.inspect")" \
            "$W/a.inspect" "$W/a2.inspect"
        return 0
    fi
    # PGS_STRICT=1: pg_dump must agree after the down script too
    [ -n "${PGS_STRICT:-}" ] || return 0
    if ! pgs_dump "$da" "$W/a2.dump" 2>"$W/psql.err"; then
        pgs_pair_report "$name" "pg_dump failed" "$(pgs_first_error "$W/psql.err")"; return 0
    fi
    if ! cmp -s "$W/a.dump" "$W/a2.dump"; then
        pgs_pair_report "$name" "down: pg_dump differs from A" "$(pgs_first_diff "$W/a.dump" "$W/a2.dump")" \
            "$W/a.dump" "$W/a2.dump"
    fi
    return 0
}

# PGS_PAIRS=pattern: only pairs whose folder name matches (debugging)
# PGS_JOBS=N: pairs checked N at a time, each worker on its own two databases
test_pg_schema_roundtrip() {
    pgs_use_cleanup
    local jobs=${PGS_JOBS:-3} dirs=() dir i k n failed=0 pids=()
    for dir in "$PGS_CASES"/pairs/*/; do
        dir=${dir%/}
        { [ -f "$dir/a.sql" ] && [ -f "$dir/b.sql" ]; } || fail "$(basename "$dir") lacks a.sql or b.sql"
        if [ -n "${PGS_PAIRS:-}" ] && [[ "$(basename "$dir")" != *${PGS_PAIRS}* ]]; then continue; fi
        dirs+=("$dir")
    done
    n=${#dirs[@]}
    [ "$n" -gt 0 ] || fail "no pairs in $PGS_CASES/pairs"
    [ "$jobs" -le "$n" ] || jobs=$n
    R="$T/reports"
    mkdir -p "$R"
    for ((i = 0; i < jobs; i++)); do
        PGS_DBS="$PGS_DBS ${DBNAME}_${i}a ${DBNAME}_${i}b"
    done
    for ((i = 0; i < jobs; i++)); do
        (
            W="$T/work$i"
            mkdir -p "$W"
            for ((k = i; k < n; k += jobs)); do
                pgs_roundtrip_pair "${dirs[k]}" "${DBNAME}_${i}a" "${DBNAME}_${i}b"
            done
        ) >"$T/worker$i.log" 2>&1 &
        pids+=($!)
    done
    for ((i = 0; i < jobs; i++)); do
        wait "${pids[i]}" || { cat "$T/worker$i.log" >&2; fail "roundtrip worker $i died"; }
    done
    for dir in "${dirs[@]}"; do
        if [ -f "$R/$(basename "$dir").report" ]; then
            cat "$R/$(basename "$dir").report" >&2
            failed=$((failed + 1))
        fi
    done
    if [ "$failed" -gt 0 ]; then
        echo "==================================================================" >&2
        echo "failing pairs:" >&2
        for dir in "${dirs[@]}"; do
            if [ -f "$R/$(basename "$dir").fail" ]; then sed 's/^/  /' "$R/$(basename "$dir").fail" >&2; fi
        done
        echo "$failed of $n pairs failed" >&2
        exit 1
    fi
    echo "$n pairs checked"
}

# ---------------------------------------------------------------------------
# the large schema: from nothing and back
# ---------------------------------------------------------------------------

test_pg_schema_large() {
    pgs_use_cleanup
    local big="${DBNAME}_large" ue ub
    pgs_fresh "$big"
    pgs_psql_file "$big" "$PGS_CASES/large.sql" "$T/psql.err" ||
        { cat "$T/psql.err" >&2; fail "large.sql does not load"; }
    ue=$(pgs_url "$DBNAME")
    ub=$(pgs_url "$big")

    pgs_inspect "$DBNAME" "$T/empty.inspect"
    pgs_inspect "$big" "$T/big.inspect"
    [ "$(grep -c '^CREATE TABLE' "$T/big.inspect")" -ge 60 ] || fail "inspect of large.sql shows fewer than 60 tables"

    pgs_run "$T/up.sql" "$T/.err" --url "$ue" diff "$ue" "$ub" || exit 1
    [ "$RC" = 0 ] || { cat "$T/.err" >&2; fail "diff empty -> large exited $RC"; }
    pgs_run "$T/down.sql" "$T/.err" --url "$ue" diff "$ue" "$ub" --down --allow-destructive || exit 1
    [ "$RC" = 0 ] || { cat "$T/.err" >&2; fail "diff --down large -> empty exited $RC"; }

    if ! pgs_psql_file "$DBNAME" "$T/up.sql" "$T/psql.err"; then
        cat "$T/psql.err" >&2
        echo "--- up.sql:" >&2; cat -n "$T/up.sql" >&2
        fail "up.sql (empty -> large) does not apply"
    fi
    pgs_inspect "$DBNAME" "$T/built.inspect"
    pgs_same "inspect after up differs from large.sql's" "$T/big.inspect" "$T/built.inspect"
    pgs_dump "$big" "$T/big.dump"
    pgs_dump "$DBNAME" "$T/built.dump"
    pgs_same "pg_dump after up differs from large.sql's" "$T/big.dump" "$T/built.dump"

    if ! pgs_psql_file "$DBNAME" "$T/down.sql" "$T/psql.err"; then
        cat "$T/psql.err" >&2
        echo "--- down.sql:" >&2; cat -n "$T/down.sql" >&2
        fail "down.sql (large -> empty) does not apply"
    fi
    pgs_inspect "$DBNAME" "$T/after.inspect"
    pgs_same "inspect after down is not empty" "$T/empty.inspect" "$T/after.inspect"
    [ "$(sql "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast', 'strata')")" = 0 ] ||
        fail "relations left after down"
    [ "$(sql "SELECT count(*) FROM pg_extension WHERE extname <> 'plpgsql'")" = 0 ] || fail "extensions left after down"
}

# ---------------------------------------------------------------------------
# inspect is deterministic
# ---------------------------------------------------------------------------

# the same small schema written in two statement orders (different OIDs,
# constraints inline or added later, objects created in other orders)
pgs_order_one() {
    cat <<'EOF'
CREATE SCHEMA s1;
CREATE SCHEMA s2;
CREATE TYPE s1.kind AS ENUM ('x', 'y', 'z');
CREATE DOMAIN s1.pos AS int CONSTRAINT pos_check CHECK (VALUE > 0);
CREATE SEQUENCE s2.counter START WITH 5;
CREATE TABLE s1.alpha (id int PRIMARY KEY, k s1.kind NOT NULL DEFAULT 'x', n s1.pos, note text);
CREATE TABLE s2.beta (id int PRIMARY KEY, alpha_id int CONSTRAINT beta_alpha_fkey REFERENCES s1.alpha (id) ON DELETE CASCADE, c bigint DEFAULT nextval('s2.counter'), CONSTRAINT beta_c_check CHECK (c > 0));
CREATE TABLE s2.gamma (id int, beta_id int, CONSTRAINT gamma_beta_fkey FOREIGN KEY (beta_id) REFERENCES s2.beta (id), CONSTRAINT gamma_id_key UNIQUE (id));
CREATE INDEX alpha_note_idx ON s1.alpha (note);
CREATE INDEX alpha_k_idx ON s1.alpha (k) WHERE note IS NOT NULL;
CREATE INDEX beta_c_idx ON s2.beta (c DESC);
CREATE FUNCTION s1.f(a int) RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT a + 1 $$;
CREATE FUNCTION s1.f(a text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT a || '1' $$;
CREATE FUNCTION s1.trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END; $$;
CREATE VIEW s1.v1 AS SELECT id, k FROM s1.alpha;
CREATE VIEW s2.v2 AS SELECT v1.id, b.c FROM s1.v1 JOIN s2.beta b ON b.alpha_id = v1.id;
CREATE TRIGGER alpha_a BEFORE INSERT ON s1.alpha FOR EACH ROW EXECUTE FUNCTION s1.trg();
CREATE TRIGGER alpha_b BEFORE UPDATE ON s1.alpha FOR EACH ROW EXECUTE FUNCTION s1.trg();
ALTER TABLE s1.alpha ENABLE ROW LEVEL SECURITY;
CREATE POLICY p1 ON s1.alpha USING (n > 1);
CREATE POLICY p2 ON s1.alpha FOR SELECT USING (true);
COMMENT ON TABLE s1.alpha IS 'alpha';
COMMENT ON COLUMN s2.beta.c IS 'counter';
EOF
}

pgs_order_two() {
    cat <<'EOF'
CREATE SCHEMA s2;
CREATE SEQUENCE s2.counter START WITH 5;
CREATE SCHEMA s1;
CREATE FUNCTION s1.trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END; $$;
CREATE FUNCTION s1.f(a text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT a || '1' $$;
CREATE DOMAIN s1.pos AS int;
CREATE TYPE s1.kind AS ENUM ('x', 'z');
ALTER TYPE s1.kind ADD VALUE 'y' BEFORE 'z';
CREATE TABLE s2.gamma (id int, beta_id int);
CREATE TABLE s2.beta (id int, alpha_id int, c bigint);
CREATE TABLE s1.alpha (id int, k s1.kind NOT NULL, n s1.pos, note text);
ALTER DOMAIN s1.pos ADD CONSTRAINT pos_check CHECK (VALUE > 0);
COMMENT ON COLUMN s2.beta.c IS 'counter';
CREATE INDEX beta_c_idx ON s2.beta (c DESC);
CREATE INDEX alpha_k_idx ON s1.alpha (k) WHERE note IS NOT NULL;
CREATE INDEX alpha_note_idx ON s1.alpha (note);
ALTER TABLE s2.gamma ADD CONSTRAINT gamma_id_key UNIQUE (id);
ALTER TABLE s2.beta ADD CONSTRAINT beta_c_check CHECK (c > 0);
ALTER TABLE s2.beta ADD CONSTRAINT beta_pkey PRIMARY KEY (id);
ALTER TABLE s1.alpha ADD CONSTRAINT alpha_pkey PRIMARY KEY (id);
ALTER TABLE s2.gamma ADD CONSTRAINT gamma_beta_fkey FOREIGN KEY (beta_id) REFERENCES s2.beta (id);
ALTER TABLE s2.beta ADD CONSTRAINT beta_alpha_fkey FOREIGN KEY (alpha_id) REFERENCES s1.alpha (id) ON DELETE CASCADE;
ALTER TABLE s2.beta ALTER COLUMN c SET DEFAULT nextval('s2.counter');
ALTER TABLE s1.alpha ALTER COLUMN k SET DEFAULT 'x';
CREATE POLICY p2 ON s1.alpha FOR SELECT USING (true);
CREATE POLICY p1 ON s1.alpha USING (n > 1);
ALTER TABLE s1.alpha ENABLE ROW LEVEL SECURITY;
CREATE TRIGGER alpha_b BEFORE UPDATE ON s1.alpha FOR EACH ROW EXECUTE FUNCTION s1.trg();
CREATE TRIGGER alpha_a BEFORE INSERT ON s1.alpha FOR EACH ROW EXECUTE FUNCTION s1.trg();
CREATE FUNCTION s1.f(a int) RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT a + 1 $$;
CREATE VIEW s1.v1 AS SELECT id, k FROM s1.alpha;
CREATE VIEW s2.v2 AS SELECT v1.id, b.c FROM s1.v1 JOIN s2.beta b ON b.alpha_id = v1.id;
COMMENT ON TABLE s1.alpha IS 'alpha';
EOF
}

# Plain indexes are spelled by the inspector from catalog columns, not by the
# server's pg_get_indexdef(): whatever a key's type, operator class, collation
# and order, each CREATE INDEX that inspect prints must be the server's text.
# The keys an operator class is left out for include those whose default is
# declared on a binary-compatible type (varchar takes text's, an array
# anyarray's); a named non-default class must stay, and so must anyarray's on
# oidvector, whose own default would be taken instead.
test_pg_schema_index_spelling() {
    cat >"$T/idx.sql" <<'SQL'
CREATE DOMAIN code_d AS varchar(20);
CREATE TABLE t (
    id int PRIMARY KEY, v varchar(40), vn varchar, t text, c char(4), d code_d,
    ia int[], ta text[], va varchar[], n numeric, ip cidr, ov oidvector
);
CREATE INDEX t_v ON t (v);
CREATE INDEX t_vn_desc ON t (vn DESC NULLS LAST, id);
CREATE INDEX t_v_pattern ON t (v varchar_pattern_ops);
CREATE INDEX t_v_text_ops ON t (v text_ops);
CREATE INDEX t_v_c ON t (v COLLATE "C");
CREATE INDEX t_t_pattern ON t (t text_pattern_ops);
CREATE INDEX t_c ON t (c);
CREATE INDEX t_c_pattern ON t (c bpchar_pattern_ops);
CREATE INDEX t_d ON t (d);
CREATE INDEX t_ia ON t (ia);
CREATE INDEX t_ta_gin ON t USING gin (ta);
CREATE INDEX t_va_gin ON t USING gin (va);
CREATE INDEX t_v_hash ON t USING hash (v);
CREATE INDEX t_v_brin ON t USING brin (v);
CREATE INDEX t_ip ON t (ip);
CREATE INDEX t_n_incl ON t (n) INCLUDE (v);
CREATE UNIQUE INDEX t_v_uniq ON t (v, t);
CREATE INDEX t_ov ON t (ov);
CREATE INDEX t_ov_array ON t (ov array_ops);
SQL
    pgs_psql_file "$DBNAME" "$T/idx.sql" "$T/psql.err" || { cat "$T/psql.err" >&2; fail "the index schema does not load"; }
    pgs_inspect "$DBNAME" "$T/idx.inspect"
    grep -E '^CREATE (UNIQUE )?INDEX' "$T/idx.inspect" | sort >"$T/strata.idx"
    psql -X -At -d "$DBNAME" -c "SELECT pg_get_indexdef(i.indexrelid) || ';' FROM pg_index i
        JOIN pg_class c ON c.oid = i.indrelid WHERE c.relname = 't' AND NOT i.indisprimary" |
        sort >"$T/server.idx"
    [ "$(wc -l <"$T/server.idx")" = 19 ] || fail "expected 19 indexes on t, the server has $(wc -l <"$T/server.idx")"
    pgs_same "inspect spells indexes differently from pg_get_indexdef" "$T/server.idx" "$T/strata.idx"
}

test_pg_schema_inspect_deterministic() {
    pgs_use_cleanup
    local other="${DBNAME}_other" again="${DBNAME}_again"

    # a large schema: twice the same bytes
    pgs_psql_file "$DBNAME" "$PGS_CASES/large.sql" "$T/psql.err" ||
        { cat "$T/psql.err" >&2; fail "large.sql does not load"; }
    pgs_inspect "$DBNAME" "$T/one.inspect"
    pgs_inspect "$DBNAME" "$T/two.inspect"
    [ -s "$T/one.inspect" ] || fail "inspect printed nothing"
    pgs_same "inspect twice differs" "$T/one.inspect" "$T/two.inspect"

    # the same schema restored in pg_dump's order (objects by kind and name,
    # constraints and indexes after the tables) inspects the same
    pgs_fresh "$other"
    # (without pg_dump's empty search_path: PostgreSQL deparses a trigger's
    # WHEN clause without qualifying hstore's operator)
    "$(pgs_pg_dump_bin)" --schema-only --no-owner --no-privileges -d "$DBNAME" |
        sed "/^SELECT pg_catalog.set_config('search_path', '', false);/d" >"$T/large.dump"
    pgs_psql_file "$other" "$T/large.dump" "$T/psql.err" ||
        { cat "$T/psql.err" >&2; fail "pg_dump of large.sql does not restore"; }
    pgs_inspect "$other" "$T/other.inspect"
    pgs_same "large.sql restored in pg_dump's order inspects differently" "$T/one.inspect" "$T/other.inspect"

    # inspect's own output recreates the schema, and inspects the same again
    pgs_fresh "$again"
    if ! pgs_psql_file "$again" "$T/one.inspect" "$T/psql.err"; then
        cat "$T/psql.err" >&2
        fail "inspect's output does not load into an empty database"
    fi
    pgs_inspect "$again" "$T/again.inspect"
    pgs_same "inspect of inspect's output differs" "$T/one.inspect" "$T/again.inspect"

    # a small schema written in two statement orders
    pgs_fresh "$other"
    pgs_fresh "$again"
    pgs_order_one >"$T/one.sql"
    pgs_order_two >"$T/two.sql"
    pgs_psql_file "$other" "$T/one.sql" "$T/psql.err" || { cat "$T/psql.err" >&2; fail "order one does not load"; }
    pgs_psql_file "$again" "$T/two.sql" "$T/psql.err" || { cat "$T/psql.err" >&2; fail "order two does not load"; }
    pgs_dump "$other" "$T/o1.dump"
    pgs_dump "$again" "$T/o2.dump"
    pgs_same "test setup: the two orders are not the same schema" "$T/o1.dump" "$T/o2.dump"
    pgs_inspect "$other" "$T/o1.inspect"
    pgs_inspect "$again" "$T/o2.inspect"
    pgs_same "the same schema in another statement order inspects differently" "$T/o1.inspect" "$T/o2.inspect"
}

# ---------------------------------------------------------------------------
# destructive changes are refused without --allow-destructive
# ---------------------------------------------------------------------------

test_pg_schema_destructive_refused() {
    pgs_use_cleanup
    local target="${DBNAME}_target" before after ut
    sql "CREATE TABLE public.keep (id int PRIMARY KEY, name text, obsolete_col int);
         CREATE TABLE public.doomed_table (id int PRIMARY KEY);
         INSERT INTO public.keep VALUES (1, 'a', 42);
         INSERT INTO public.doomed_table VALUES (7);" >/dev/null
    pgs_fresh "$target"
    ut=$(pgs_url "$target")
    psql -X -q -v ON_ERROR_STOP=1 -d "$target" -c "CREATE TABLE public.keep (id int PRIMARY KEY, name text)" >/dev/null
    printf 'CREATE TABLE public.keep (id int PRIMARY KEY, name text);\n' >desired.sql
    pgs_inspect "$DBNAME" "$T/before.inspect"
    before=$(psql -X -q -At -d postgres -c "SELECT string_agg(datname, ',' ORDER BY datname) FROM pg_database")

    # to a database, and to a desired-schema file (run on a scratch database)
    for to in "$ut" "$T/desired.sql"; do
        st diff "$DBURL" "$to"
        expect_rc 7
        grep -q 'doomed_table' <<<"$OUT$ERR" || fail "the refusal does not name the dropped table (to $to)"
        grep -q 'obsolete_col' <<<"$OUT$ERR" || fail "the refusal does not name the dropped column (to $to)"
        st diff "$DBURL" "$to" --json
        expect_rc 7
        # nothing happened to the database, and no scratch database was left
        pgs_inspect "$DBNAME" "$T/after.inspect"
        pgs_same "diff changed the database (to $to)" "$T/before.inspect" "$T/after.inspect"
        [ "$(sql "SELECT obsolete_col FROM public.keep WHERE id = 1")" = 42 ] || fail "column data gone"
        [ "$(sql "SELECT id FROM public.doomed_table")" = 7 ] || fail "table data gone"
        after=$(psql -X -q -At -d postgres -c "SELECT string_agg(datname, ',' ORDER BY datname) FROM pg_database")
        [ "$before" = "$after" ] || fail "databases before: $before; after: $after"
    done

    # the other way only adds: not refused
    st diff "$ut" "$DBURL"
    expect_rc 0
    expect_out "doomed_table"

    # allowed: the script drops them, and applying it reaches the target
    st diff "$DBURL" "$ut" --allow-destructive
    expect_rc 0
    expect_out "doomed_table"
    expect_out "obsolete_col"
    printf '%s\n' "$OUT" >"$T/up.sql"
    pgs_psql_file "$DBNAME" "$T/up.sql" "$T/psql.err" || { cat "$T/psql.err" >&2; fail "up.sql does not apply"; }
    pgs_inspect "$DBNAME" "$T/now.inspect"
    pgs_inspect "$target" "$T/target.inspect"
    pgs_same "after the allowed diff" "$T/target.inspect" "$T/now.inspect"
}
