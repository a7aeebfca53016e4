# test_concurrency.sh: several runners at once apply every migration exactly once.
# (Issue 3 scales this up; here: 8 runners, 40 migrations, both drivers.)

test_both_concurrent_runners_apply_each_migration_once() {
    for i in $(seq 1 40); do
        printf -- '-- strata:up\nCREATE TABLE c_%d (id integer PRIMARY KEY);\nINSERT INTO c_%d VALUES (%d);\n' \
            "$i" "$i" "$i" > "migrations/$(printf '%04d' "$i")_c_$i.sql"
    done
    pids=()
    for r in $(seq 1 8); do
        "$STRATA" -q --url "$DBURL" migrate >"out.$r" 2>"err.$r" &
        pids+=($!)
    done
    for r in $(seq 1 8); do
        rc=0
        wait "${pids[$((r - 1))]}" || rc=$?
        [ "$rc" = 0 ] || { cat "err.$r" >&2; fail "runner $r exited $rc"; }
        ! grep -qE 'AddressSanitizer|runtime error' "err.$r" || { cat "err.$r" >&2; fail "sanitizer"; }
    done
    [ "$(sql "SELECT count(*) FROM $(history_table)")" = 40 ] || fail "history should have exactly 40 rows"
    [ "$(sql "SELECT count(DISTINCT version) FROM $(history_table)")" = 40 ] || fail "a version was recorded twice"
    for i in 1 20 40; do
        [ "$(sql "SELECT count(*) FROM c_$i")" = 1 ] || fail "c_$i should hold one row"
    done
}

test_pg_lock_mode_table_applies_each_migration_once() {
    # behind a transaction-mode pooler: no session lock, a lock row per step
    for i in $(seq 1 40); do
        printf -- '-- strata:up\nCREATE TABLE c_%d (id integer PRIMARY KEY);\nINSERT INTO c_%d VALUES (%d);\n' \
            "$i" "$i" "$i" > "migrations/$(printf '%04d' "$i")_c_$i.sql"
    done
    printf -- '-- strata:no-transaction\nSELECT pg_sleep(0.5);\nCREATE INDEX CONCURRENTLY idx_c_1_id ON c_1 (id);\n' \
        > migrations/0041_index.sql
    pids=()
    for r in $(seq 1 8); do
        "$STRATA" -q --url "$DBURL" migrate --lock-mode table >"out.$r" 2>"err.$r" &
        pids+=($!)
    done
    for r in $(seq 1 8); do
        rc=0
        wait "${pids[$((r - 1))]}" || rc=$?
        [ "$rc" = 0 ] || { cat "err.$r" >&2; fail "runner $r exited $rc"; }
    done
    [ "$(sql "SELECT count(*) FROM strata.strata_history")" = 41 ] || fail "history should have exactly 41 rows"
    [ "$(sql "SELECT count(DISTINCT version) FROM strata.strata_history WHERE success")" = 41 ] ||
        fail "a version was applied twice or not at all"
    [ "$(sql "SELECT count(*) FROM c_40")" = 1 ] || fail "c_40 should hold one row"
    [ "$(sql "SELECT indisvalid FROM pg_index WHERE indexrelid = 'idx_c_1_id'::regclass")" = t ] ||
        fail "the concurrent index is not valid"
    [ "$(sql "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")" = 0 ] ||
        fail "table mode took an advisory lock"
}
