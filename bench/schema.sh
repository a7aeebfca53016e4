# bench/schema.sh: the schema workloads, sourced by bench/run.sh (uses its
# cluster, $work, $strata, url_pq, fresh, log, T/MEM/FAIL, stats, rows, targets).
#
#   inspect: `strata inspect` beside `pg_dump --schema-only` of the same database,
#            at 2,000 tables (8 columns, 3 indexes counting the primary key's, 1
#            foreign key each) and 10,000 tables (8 columns, 2 indexes, 1 FK)
#   diff:    `strata --url A diff A B --allow-destructive`, A the 10,000-table
#            database, B a copy with 1% of its tables changed
#            (the whole command), and the model diff alone (bench/diff_models.c:
#            both models loaded once, then diffed and rendered in one process)
#
# The schemas come from bench/schema_gen.sh, loaded once with psql (then ANALYZE,
# as autovacuum would have done, and a CHECKPOINT); every timed run reads the same
# databases. Per size: a warm-up of each tool (under /usr/bin/time -f %M for the
# peak RSS), then BENCH_SCHEMA_RUNS timed runs (default 5), pg_dump and
# strata alternating which goes first. A strata command that fails, or exits 0
# with nothing on stdout, is reported as failed in the table and the targets (the
# run goes on). After the timed runs, unless BENCH_SCHEMA_CHECKS=0, two checks of
# the output (not timed): strata inspect's SQL of the smallest schema loaded into
# an empty database gives the same pg_dump; the diff script applied to A gives
# B's pg_dump.
#
# Environment: BENCH_SCHEMA (default "2000:8:3 10000:8:2", TABLES:COLUMNS:INDEXES;
# the diff uses the last), BENCH_SCHEMA_CHANGED (default 1% of its tables),
# BENCH_SCHEMA_RUNS, BENCH_SCHEMA_CHECKS.
#
# shellcheck shell=bash
# shellcheck disable=SC2154,SC2004  # run.sh's variables, and its associative arrays (T, MEM, FAIL)

read -r -a schema_specs <<< "${BENCH_SCHEMA:-2000:8:3 10000:8:2}"
schema_runs=${BENCH_SCHEMA_RUNS:-5}
[ "$schema_runs" -ge 1 ] || schema_runs=1
schema_big=${schema_specs[-1]%%:*}
schema_changed=${BENCH_SCHEMA_CHANGED:-$((schema_big / 100))}
[ "$schema_changed" -ge 1 ] || schema_changed=1
declare -A SCH=()   # facts for the report: counts, load times, output sizes, checks

# schema_cmd KEY R CMD...: one run of a schema workload's command (R=0: the
# warm-up, under /usr/bin/time -f %M); stdout to $work/out.log, stderr to
# $work/err.log. A failure (an exit status other than 0, or nothing on stdout)
# goes to FAIL[KEY] and ends that workload's runs.
schema_cmd() {
    local key=$1 r=$2 t0 t1 rc=0 why
    shift 2
    [ -n "${FAIL[$key]:-}" ] && return 1
    if [ "$r" -eq 0 ]; then
        t0=$EPOCHREALTIME
        /usr/bin/time -f %M -o "$work/mem" "$@" >"$work/out.log" 2>"$work/err.log" || rc=$?
        t1=$EPOCHREALTIME
    else
        t0=$EPOCHREALTIME
        "$@" >"$work/out.log" 2>"$work/err.log" || rc=$?
        t1=$EPOCHREALTIME
    fi
    LAST_US=$(( ${t1//[.,]/} - ${t0//[.,]/} ))
    if [ "$rc" -ne 0 ]; then
        why="exit $rc: $(grep -v '^Command exited with non-zero status' "$work/err.log" | head -n 1 | cut -c1-200)"
    elif [ ! -s "$work/out.log" ]; then
        why="exit 0 but nothing on stdout (after $((LAST_US / 1000)) ms)"
        if [ -s "$work/err.log" ]; then why+=": $(head -n 1 "$work/err.log" | cut -c1-160)"; fi
    fi
    if [ -n "${why:-}" ]; then
        FAIL[$key]=${why//|/\/}
        log "$key failed: ${FAIL[$key]}"
        log "  command: $*"
        sed -n '1,10p' "$work/err.log" | sed 's/^/  /' >&2
        return 1
    fi
    if [ "$r" -eq 0 ]; then MEM[$key]=$(tail -n 1 "$work/mem"); else T[$key]+=" $LAST_US"; fi
    return 0
}

# schema_load SPEC...: load every TABLES:COLUMNS:INDEXES schema into b_schemaTABLES,
# all at once (one psql each: the server works on them in parallel), then ANALYZE
schema_load() {
    local spec n c x t0 t1 pid failed=0
    local -a pids=()
    t0=$EPOCHREALTIME
    for spec in "$@"; do
        IFS=: read -r n c x <<< "$spec"
        fresh "b_schema$n"
        "$root/bench/schema_gen.sh" schema "$n" "$c" "$x" > "$work/schema$n.sql"
    done
    for spec in "$@"; do
        n=${spec%%:*}
        { psql -X -q -v ON_ERROR_STOP=1 -d "b_schema$n" -f "$work/schema$n.sql" >/dev/null &&
          psql -X -q -v ON_ERROR_STOP=1 -d "b_schema$n" -c ANALYZE; } &
        pids+=($!)
    done
    for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
    [ "$failed" = 0 ] || { log "schema: loading the schemas failed"; exit 1; }
    t1=$EPOCHREALTIME
    SCH[load]=$(( (${t1//[.,]/} - ${t0//[.,]/}) / 1000000 ))
    for spec in "$@"; do
        n=${spec%%:*}
        SCH[counts$n]=$(psql -X -A -t -F ' ' -v ON_ERROR_STOP=1 -d "b_schema$n" -c "
            SELECT (SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'),
                   (SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
                     WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped),
                   (SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
                     WHERE c.relnamespace = 'public'::regnamespace),
                   (SELECT count(*) FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND contype = 'f')" |
            awk '{ printf "%d tables, %d columns, %d indexes (primary keys included), %d foreign keys", $1, $2, $3, $4 }')
        log "schema: b_schema$n: ${SCH[counts$n]}"
    done
    log "schema: loaded in ${SCH[load]} s"
}

schema_measure() {
    local spec n db r t order a b
    schema_load "${schema_specs[@]}"
    a=b_schema$schema_big b=b_schema${schema_big}_b
    psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "SET client_min_messages = warning" \
        -c "DROP DATABASE IF EXISTS $b" -c "CREATE DATABASE $b TEMPLATE $a" >/dev/null
    "$root/bench/schema_gen.sh" change "$schema_big" "$schema_changed" > "$work/change.sql"
    psql -X -q -v ON_ERROR_STOP=1 -d "$b" -f "$work/change.sql" >/dev/null
    psql -X -q -d postgres -c CHECKPOINT >/dev/null
    log "schema: $b = $a with $schema_changed tables changed"

    for spec in "${schema_specs[@]}"; do
        n=${spec%%:*} db=b_schema${spec%%:*}
        for ((r = 0; r <= schema_runs; r++)); do
            order=(pgdump strata)
            if [ $((r % 2)) -eq 1 ]; then order=(strata pgdump); fi
            local line=()
            for t in "${order[@]}"; do
                if [ "$t" = pgdump ]; then
                    schema_cmd "inspect$n|pgdump" "$r" pg_dump --schema-only -d "$db" || continue
                    [ "$r" -eq "$schema_runs" ] && mv "$work/out.log" "$work/pgdump$n.out"
                else
                    schema_cmd "inspect$n|strata" "$r" "$strata" --url "$(url_pq "$db")" inspect || continue
                    [ "$r" -eq "$schema_runs" ] && mv "$work/out.log" "$work/inspect$n.out"
                fi
                line+=("$t $((LAST_US / 1000)) ms")
            done
            log "inspect $n tables $([ "$r" -eq 0 ] && echo warm-up || echo "run $r"): ${line[*]:-}"
        done
        for t in pgdump inspect; do
            if [ -f "$work/$t$n.out" ]; then
                SCH[$t$n]="$(wc -l < "$work/$t$n.out") lines, $(awk -v b="$(wc -c < "$work/$t$n.out")" 'BEGIN { printf "%.1f", b / 1048576 }') MiB"
            fi
        done
    done

    for ((r = 0; r <= schema_runs; r++)); do
        if schema_cmd "diff$schema_big|strata" "$r" \
                "$strata" --url "$(url_pq "$a")" diff "$(url_pq "$a")" "$(url_pq "$b")" --allow-destructive; then
            log "diff $schema_big tables $([ "$r" -eq 0 ] && echo warm-up || echo "run $r"): $((LAST_US / 1000)) ms"
            [ "$r" -eq "$schema_runs" ] && mv "$work/out.log" "$work/diff.out"
        fi
    done
    schema_diff_models "$a" "$b"
    if [ -f "$work/diff.out" ]; then
        SCH[difflines]=$(wc -l < "$work/diff.out")
        SCH[diffstmts]=$(grep -cE '^(ALTER|CREATE|DROP|COMMENT) ' "$work/diff.out" || true)
    fi

    [ "${BENCH_SCHEMA_CHECKS:-1}" = 0 ] && return 0
    schema_check_inspect
    schema_check_diff
}

# schema_diff_models A B: the model diff alone (bench/diff_models.c, through the
# public API): both databases inspected once, then diffed and rendered
# $schema_runs times in one process; its peak RSS holds both models.
schema_diff_models() {
    local prog=$work/diff_models line
    if ! cc -std=c11 -O2 -Wall -Wextra -Werror -I"$root/include" -o "$prog" "$root/bench/diff_models.c" \
            "$(dirname "$strata")/libstrata.a" -lpq -lsqlite3 -lcrypto -linih -lpg_query -ljansson -lpthread \
            2>"$work/err.log"; then
        FAIL[diffmodel|strata]="bench/diff_models.c did not build: $(head -n 1 "$work/err.log" | cut -c1-160)"
        return 0
    fi
    if ! "$prog" "$(url_pq "$1")" "$(url_pq "$2")" "$schema_runs" >"$work/diffm.out" 2>"$work/err.log"; then
        FAIL[diffmodel|strata]="exit: $(head -n 1 "$work/err.log" | cut -c1-160)"
        return 0
    fi
    while read -r line; do
        case $line in
        "diff "*) for ms in ${line#diff }; do T[diffmodel|strata]+=" $(awk -v m="$ms" 'BEGIN { printf "%d", m * 1000 }')"; done ;;
        "changes "*) SCH[diffchanges]=${line#changes } ;;
        "peak_rss_kib "*) MEM[diffmodel|strata]=${line#peak_rss_kib } ;;
        "load_a "*|"load_b "*) SCH[${line%% *}]=${line#* } ;;
        esac
    done < "$work/diffm.out"
    log "diff models: $(tr '\n' ' ' < "$work/diffm.out")"
}

# schema_same A B WHAT: compare the pg_dump of databases A and B; SCH[WHAT]
schema_same() {
    dump_schema "$1" > "$work/dump_$1.sql"
    dump_schema "$2" > "$work/dump_$2.sql"
    if cmp -s "$work/dump_$1.sql" "$work/dump_$2.sql"; then
        SCH[$3]=yes
    else
        SCH[$3]="**no** ($(diff "$work/dump_$1.sql" "$work/dump_$2.sql" | grep -c '^[<>]') lines of pg_dump differ)"
        log "schema check $3: the pg_dumps of $1 and $2 differ:"
        diff "$work/dump_$1.sql" "$work/dump_$2.sql" | head -n 20 >&2 || true
    fi
    log "schema check $3: ${SCH[$3]}"
}

# strata inspect's SQL of the smallest schema, loaded into an empty database
schema_check_inspect() {
    local n=${schema_specs[0]%%:*} rc=0
    [ -n "${T[inspect$n|strata]:-}" ] || return 0
    "$strata" --url "$(url_pq "b_schema$n")" inspect > "$work/inspect_rt.sql" 2>"$work/err.log" || rc=$?
    if [ "$rc" -ne 0 ]; then SCH[inspect-roundtrip]="**no** (strata inspect: exit $rc)"; return 0; fi
    fresh b_schema_rt
    if ! psql -X -q -v ON_ERROR_STOP=1 -1 -d b_schema_rt -f "$work/inspect_rt.sql" >/dev/null 2>"$work/err.log"; then
        SCH[inspect-roundtrip]="**no** (psql: $(grep -m1 -E 'ERROR' "$work/err.log" | cut -c1-200 | tr '|' '/'))"
        log "schema check inspect-roundtrip: ${SCH[inspect-roundtrip]}"
        return 0
    fi
    schema_same "b_schema$n" b_schema_rt inspect-roundtrip
}

# the diff script applied to A (no longer timed), against B
schema_check_diff() {
    local a=b_schema$schema_big b=b_schema${schema_big}_b
    [ -s "$work/diff.out" ] || return 0
    if ! psql -X -q -v ON_ERROR_STOP=1 -1 -d "$a" -f "$work/diff.out" >/dev/null 2>"$work/err.log"; then
        SCH[diff-applied]="**no** (psql: $(grep -m1 -E 'ERROR' "$work/err.log" | cut -c1-200 | tr '|' '/'))"
        log "schema check diff-applied: ${SCH[diff-applied]}"
        return 0
    fi
    schema_same "$b" "$a" diff-applied
}

# --- report -------------------------------------------------------------------
schema_row() {   # schema_row WORKLOAD KEY FLOORKEY DESCRIPTION
    local wl=$1 key=$2 fkey=$3 desc=$4 med mi ma cnt ratio=-
    if [ -n "${FAIL[$key]:-}" ]; then
        rows+=("| $wl | $desc | - | **failed**: ${FAIL[$key]} | | | |"); return
    fi
    read -r med mi ma cnt <<< "$(stats "$key")"
    if [ -n "$fkey" ] && [ -n "${T[$fkey]:-}" ]; then
        ratio=$(awk -v a="$med" -v b="$(median_of "$fkey")" 'BEGIN { printf "%.2fx", a / b }')
    fi
    rows+=("| $wl | $desc | $cnt | $(fmt_ms "$med") | $(fmt_ms "$mi")-$(fmt_ms "$ma") | $ratio | $(mib "${MEM[$key]}") |")
}
schema_rows() {
    local spec n
    for spec in "${schema_specs[@]}"; do
        n=${spec%%:*}
        schema_row "inspect $n tables" "inspect$n|pgdump" "inspect$n|pgdump" "pg_dump --schema-only"
        schema_row "inspect $n tables" "inspect$n|strata" "inspect$n|pgdump" "**strata inspect** (x pg_dump)"
    done
    schema_row "diff $schema_big tables" "diff$schema_big|strata" "" "**strata diff A B --allow-destructive** ($schema_changed tables changed)"
    schema_row "diff $schema_big tables" "diffmodel|strata" "" "model diff alone: strata_schema_diff + strata_diff_sql of the two loaded models"
}
schema_targets() {
    local spec n s p m key=diff$schema_big\|strata ms
    for spec in "${schema_specs[@]}"; do
        n=${spec%%:*}
        if [ -n "${FAIL[inspect$n|strata]:-}" ]; then
            targets+=("- strata inspect at $n tables >= 3x faster than pg_dump --schema-only: **failed** (${FAIL[inspect$n|strata]})")
            continue
        fi
        [ -n "${T[inspect$n|pgdump]:-}" ] || continue
        s=$(awk -v a="$(median_of "inspect$n|pgdump")" -v b="$(median_of "inspect$n|strata")" 'BEGIN { printf "%.2f", a / b }')
        p=$(paired "inspect$n|pgdump" "inspect$n|strata")
        m=${MEM[inspect$n|strata]}
        targets+=("- strata inspect at $n tables >= 3x faster than pg_dump --schema-only: ${s}x (pg_dump's median / strata's), $(verdict 3 "$s"); median of the per-repetition ratios: ${p}x, $(verdict 3 "$p"); peak RSS < 300 MB: $(mib "$m") MiB, $(verdict "$m" 292968)")
    done
    if [ -n "${FAIL[$key]:-}" ]; then
        targets+=("- strata diff of two $schema_big-table databases in < 1 s: **failed** (${FAIL[$key]})")
    else
        ms=$(fmt_ms "$(median_of "$key")")
        targets+=("- strata diff of two $schema_big-table databases ($schema_changed tables changed) in < 1 s: $ms ms, $(verdict "$ms" 1000); peak RSS $(mib "${MEM[$key]}") MiB; script not empty: ${SCH[difflines]} lines, ${SCH[diffstmts]} statements (ALTER/CREATE/DROP/COMMENT at a line's start)")
    fi
    key=diffmodel\|strata
    if [ -n "${FAIL[$key]:-}" ]; then
        targets+=("- diff of two $schema_big-table models in < 1 s: **failed** (${FAIL[$key]})")
    elif [ -n "${T[$key]:-}" ]; then
        ms=$(fmt_ms "$(median_of "$key")")
        targets+=("- diff of two $schema_big-table models (already loaded: A in ${SCH[load_a]} ms, B in ${SCH[load_b]} ms) in < 1 s: $ms ms, $(verdict "$ms" 1000), ${SCH[diffchanges]} changes; peak RSS with both models < 300 MB: $(mib "${MEM[$key]}") MiB, $(verdict "${MEM[$key]}" 292968)")
    fi
    if [ "${BENCH_SCHEMA_CHECKS:-1}" != 0 ]; then
        targets+=("- strata inspect's SQL at ${schema_specs[0]%%:*} tables, loaded into an empty database, gives the same pg_dump: ${SCH[inspect-roundtrip]:-not checked (inspect failed)}")
        targets+=("- the diff script applied to A gives B's pg_dump: ${SCH[diff-applied]:-not checked (diff failed)}")
    fi
}
schema_notes() {
    local spec n c x
    echo "Schema workloads (bench/schema_gen.sh, loaded once with psql, one transaction per 1000 tables, then ANALYZE: ${SCH[load]} s for all, in parallel;"
    echo "every run reads the same databases; warm-up, then $schema_runs timed runs, pg_dump and strata alternating which goes first):"
    echo
    for spec in "${schema_specs[@]}"; do
        IFS=: read -r n c x <<< "$spec"
        echo "- $n tables: ${SCH[counts$n]}; output of pg_dump: ${SCH[pgdump$n]:-none}, of strata inspect: ${SCH[inspect$n]:-none}."
    done
    echo "- diff: A = the $schema_big-table database, B = a copy of it with $schema_changed tables changed (in turn: a column added,"
    echo "  a default changed, an index added, an index dropped); \`strata --url A diff A B --allow-destructive\`, the script on stdout."
    echo "- pg_dump: \`pg_dump --schema-only -d DB\` (plain SQL to stdout); strata: \`strata --url URL inspect\`; both write to a file."
    echo
}
