# test_lint.sh: the linter. Every rule has a case in tests/lint/: RULE.bad.sql
# must trigger it and RULE.ok.sql, a near-identical safe version, must not.

lint_rules_of() {  # FILE: the unsuppressed rule ids found, one per line
    st lint --format json "$1"
    jq -r '.findings[] | select(.suppressed | not) | .rule' <<<"$OUT"
}

test_lint_every_rule_fires_and_its_safe_twin_does_not() {
    local cases="$STRATA_TEST_ROOT/tests/lint" n=0
    for bad in "$cases"/SL*.bad.sql; do
        rule=$(basename "$bad" .bad.sql)
        ok="$cases/$rule.ok.sql"
        [ -f "$ok" ] || fail "$rule has no .ok.sql twin"
        lint_rules_of "$bad" | grep -qx "$rule" || fail "$rule did not fire on $(basename "$bad")"
        ! lint_rules_of "$ok" | grep -qx "$rule" || fail "$rule fired on the safe $(basename "$ok")"
        n=$((n + 1))
    done
    # every rule but the opt-in one has a case
    st lint --rules
    total=$(grep -c '^SL' <<<"$OUT")
    [ "$n" = $((total - 1)) ] || fail "$n cases for $total rules"
}

test_lint_exit_codes_and_text_format() {
    cp "$STRATA_TEST_ROOT/tests/lint/SL106.bad.sql" a.sql
    st lint a.sql
    expect_rc 1
    expect_out "a.sql:1:"
    expect_out "error [SL106 index-not-concurrent]"
    expect_out "hint: use CREATE INDEX CONCURRENTLY"
    cp "$STRATA_TEST_ROOT/tests/lint/SL305.bad.sql" w.sql
    st lint w.sql
    expect_rc 0   # warnings only
    expect_out "warning [SL305 prefer-text]"
}

test_lint_github_and_json_formats() {
    cp "$STRATA_TEST_ROOT/tests/lint/SL102.bad.sql" a.sql
    st lint --format github a.sql
    expect_rc 1
    grep -q '^::error file=a.sql,line=1,col=[0-9]*,title=SL102 set-not-null::' <<<"$OUT" || fail "no annotation"
    st lint --format json a.sql
    [ "$(json_get '.errors')" = 1 ] || fail "json errors count"
    [ "$(json_get '.findings[0].rule')" = SL102 ] || fail "json rule"
    [ "$(json_get '.findings[0].line')" = 1 ] || fail "json line"
}

test_lint_syntax_error_names_the_position() {
    printf 'CREATE TABLE ok1 (id int);\nCREATE TABLE bad (id int,);\n' > a.sql
    st lint a.sql
    expect_rc 1
    expect_out "a.sql:2:"
    expect_out "SL001"
    expect_out 'syntax error at or near ")"'
}

test_lint_table_created_earlier_is_new() {
    # same file: indexing a table created a moment ago is not a finding
    printf 'CREATE TABLE t (id bigint PRIMARY KEY, v text, created_at timestamptz, updated_at timestamptz);\nCREATE INDEX idx_t_v ON t (v);\n' > same.sql
    st lint same.sql
    ! grep -q SL106 <<<"$OUT" || fail "SL106 on a table created in the same file"
    # same run: a later file of the run
    printf 'CREATE TABLE u (id bigint PRIMARY KEY, v text, created_at timestamptz, updated_at timestamptz);\n' > 1.sql
    printf 'CREATE INDEX idx_u_v ON u (v);\n' > 2.sql
    st lint 1.sql 2.sql
    ! grep -q SL106 <<<"$OUT" || fail "SL106 on a table created earlier in the run"
    st lint 2.sql
    expect_out SL106
}

test_lint_suppression_comments_keep_the_reason() {
    printf -- '-- strata:lint-ignore SL106 built at night when nobody writes\nCREATE INDEX idx_a_b ON a (b);\nCREATE INDEX idx_a_c ON a (c);\n' > a.sql
    st lint a.sql
    expect_out "a.sql:2:"
    expect_out "ignored [SL106 index-not-concurrent]"
    expect_out "reason: built at night when nobody writes"
    expect_out "a.sql:3:"   # the next statement is not silenced
    expect_rc 1
    printf -- '-- strata:lint-ignore-file index-not-concurrent small table\nCREATE INDEX idx_a_b ON a (b);\nCREATE INDEX idx_a_c ON a (c);\n' > f.sql
    st lint --format json f.sql
    expect_rc 0
    [ "$(json_get '[.findings[] | select(.rule=="SL106" and .suppressed)] | length')" = 2 ] || fail "file-level ignore"
    [ "$(json_get '.findings[0].reason')" = "small table" ] || fail "reason lost"
}

test_lint_severity_config() {
    cp "$STRATA_TEST_ROOT/tests/lint/SL106.bad.sql" a.sql
    printf '[lint]\nSL106 = warning\n' > strata.conf
    st lint a.sql
    expect_rc 0
    expect_out "warning [SL106"
    printf '[lint]\nindex-not-concurrent = off\n' > strata.conf
    st lint a.sql
    ! grep -q SL106 <<<"$OUT" || fail "rule set off still fires"
    printf '[lint]\nSL999 = error\n' > strata.conf
    st lint a.sql
    expect_rc 3
    expect_err "unknown rule 'SL999'"
    # the opt-in rule, and a naming pattern
    printf '[lint]\nSL113 = error\nindex_name = {table}_{columns}_idx\n' > strata.conf
    printf 'ALTER TABLE a ADD COLUMN b text;\n' > b.sql
    st lint b.sql
    expect_out "SL113"
    printf "SET lock_timeout = '2s';\nALTER TABLE a ADD COLUMN b text;\n" > c.sql
    st lint c.sql
    ! grep -q SL113 <<<"$OUT" || fail "SL113 despite SET lock_timeout"
    printf 'CREATE TABLE n (id bigint PRIMARY KEY, created_at timestamptz, updated_at timestamptz, x int);\nCREATE INDEX n_x_idx ON n (x);\n' > d.sql
    st lint d.sql
    ! grep -q SL311 <<<"$OUT" || fail "configured pattern not used"
}

test_lint_function_bodies_and_do_blocks() {
    cat > a.sql <<'SQL'
CREATE FUNCTION cleanup() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DROP TABLE staging;
END $$;
DO $$ BEGIN CREATE INDEX idx_accounts_email ON accounts (email); END $$;
SQL
    st lint a.sql
    expect_out "a.sql:1:"
    expect_out "SL201"
    expect_out "inside a function body or DO block"
    expect_out "a.sql:5:"
    expect_out "SL106"
}

test_lint_json_table_definition() {
    cat > caricatures.json <<'JSON'
{
  "tableName": "caricatures",
  "schemaJson": {
    "tableName": "caricatures",
    "columns": [
      { "name": "id", "type": "UUID", "primaryKey": true, "nullable": false, "defaultValue": "gen_random_uuid()" },
      { "name": "userName", "type": "VARCHAR(40)", "nullable": true },
      { "name": "meta", "type": "JSONB" },
      { "name": "created_at", "type": "TIMESTAMPTZ", "nullable": false, "defaultValue": "CURRENT_TIMESTAMP" }
    ],
    "indexes": [ { "name": "idx_caricatures_created_at", "columns": ["created_at"] } ]
  }
}
JSON
    st lint --format json caricatures.json
    rules=$(jq -r '.findings[].rule' <<<"$OUT" | sort -u | tr '\n' ' ')
    for r in SL302 SL303 SL305 SL308; do
        grep -q "$r" <<<"$rules" || fail "$r missing from the table definition's findings: $rules"
    done
    ! grep -q SL301 <<<"$rules" || fail "it has a primary key"
    printf '{"columns": []}' > bad.json
    st lint bad.json
    expect_rc 3
    expect_err "tableName"
}

test_pg_migrate_refuses_on_lint_errors() {
    mig 0001_accounts.sql <<'SQL'
CREATE TABLE accounts (id bigint PRIMARY KEY, email text, created_at timestamptz, updated_at timestamptz);
SQL
    st migrate
    expect_rc 0
    mig 0002_index.sql <<'SQL'
CREATE INDEX idx_accounts_email ON accounts (email);
SQL
    st migrate
    expect_rc 7
    expect_err "SL106"
    expect_err "--no-lint"
    [ "$(sql "SELECT count(*) FROM strata.strata_history")" = 1 ] || fail "0002 ran despite the lint error"
    st lint --pending
    expect_rc 1
    expect_out "migrations/0002_index.sql:1:"
    st migrate --no-lint
    expect_rc 0
    [ "$(sql "SELECT note FROM strata.strata_history WHERE version = '2'")" = "applied with --no-lint" ] ||
        fail "--no-lint not recorded in history"
    # a table created earlier in the same pending run is new: no refusal
    mig 0003_t.sql <<'SQL'
CREATE TABLE t3 (id bigint PRIMARY KEY, v text, created_at timestamptz, updated_at timestamptz);
SQL
    mig 0004_t.sql <<'SQL'
CREATE INDEX idx_t3_v ON t3 (v);
SQL
    st migrate
    expect_rc 0
}
