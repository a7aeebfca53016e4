#!/usr/bin/env bash
# bench/run.sh STRATA: strata side by side with psql floors and its peers
# (dbmate, node-pg-migrate, Sqitch) on a private PostgreSQL (fsync on, loopback
# only), written to bench/RESULTS.md.
#
# Workloads (the SQL comes from bench/gen.sh, the same for every tool):
#   apply N=100 and N=1000 migrations to an empty database:
#     psql floor   one session, one transaction per migration plus a history insert
#     psql -1      the same script in one transaction
#     strata migrate, dbmate up, node-pg-migrate up, sqitch deploy
#     (each one transaction per migration)
#   with 1000 applied: a no-op re-run of each tool and `strata status`, beside
#   `psql -c 'select 1'` (the connection floor) and bench/pq_start.c (a program
#   that only loads libpq: what any client spends before main()).
#   lint: about 11,000 statements.
#   schema (bench/schema.sh, schemas from bench/schema_gen.sh): `strata inspect`
#   beside `pg_dump --schema-only` at 2,000 and 10,000 tables, and `strata diff`
#   of two 10,000-table databases (1% of the tables changed).
# Within each repetition every tool runs once, in an order rotated from one
# repetition to the next. The first repetition is a warm-up, run under
# /usr/bin/time -f %M for the peak RSS (of the tool's largest process; the
# server's memory is not counted), then BENCH_RUNS timed runs;
# medians and min-max of wall time. A tool whose warm-up takes longer than
# BENCH_SLOW_MS (default 20000) gets BENCH_SLOW_RUNS (default 3) timed runs,
# which the table says (peers only: the floors and strata always get every run). After each apply size the schemas are compared
# (pg_dump --schema-only without the tools' bookkeeping).
#
# A peer that is not installed (scripts/deps.sh bench, bench/tools.sh) or that
# fails is listed as missing/failed with the reason; the floor or strata failing
# stops the run (exit 1), as does strata's schema differing from the floor's.
#
# Environment: BENCH_RUNS (default 7, at least 5 advised), BENCH_NOOP_RUNS (default 2 x BENCH_RUNS),
# BENCH_SLOW_MS, BENCH_SLOW_RUNS, BENCH_SIZES (default "100 1000"; the no-op
# workloads use the largest), BENCH_TRANSPORT=socket|tcp (default socket: every
# tool through the cluster's unix socket; tcp: 127.0.0.1), BENCH_ONLY=migrate|schema
# (only the apply, no-op and lint workloads, or only the schema ones: the report
# goes to stdout, and to BENCH_OUT if set, not to bench/RESULTS.md), and those of
# bench/schema.sh (BENCH_SCHEMA, BENCH_SCHEMA_RUNS, BENCH_SCHEMA_CHANGED,
# BENCH_SCHEMA_CHECKS). A failure of strata inspect or diff is reported in the
# table and the targets as failed; it does not stop the run.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[ $# -eq 1 ] || { echo "usage: $0 STRATA_BINARY" >&2; exit 2; }
strata=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
runs=${BENCH_RUNS:-7}
noop_runs=${BENCH_NOOP_RUNS:-$((runs * 2))}
slow_ms=${BENCH_SLOW_MS:-20000}
slow_runs=${BENCH_SLOW_RUNS:-3}
[ "$slow_runs" -ge 1 ] || slow_runs=1
[ "$runs" -ge 1 ] || runs=1
[ "$noop_runs" -ge 1 ] || noop_runs=1
read -r -a sizes <<< "${BENCH_SIZES:-100 1000}"
transport=${BENCH_TRANSPORT:-socket}
case $transport in socket|tcp) ;; *) echo "BENCH_TRANSPORT must be socket or tcp" >&2; exit 2 ;; esac
only=${BENCH_ONLY:-}
do_migrate=1 do_schema=1
case $only in
"") ;; migrate) do_schema=0 ;; schema) do_migrate=0 ;;
*) echo "BENCH_ONLY must be migrate or schema" >&2; exit 2 ;;
esac
tools_dir=$root/bench/.tools
big=${sizes[-1]}

work=$(mktemp -d /tmp/stbench.XXXXXX)
pgdir=$(mktemp -d /tmp/stpg.XXXXXX)
cleanup() { "$root/tests/harness/pg_cluster.sh" stop "$pgdir" >/dev/null 2>&1 || true; rm -rf "$work" "$pgdir"; }
trap cleanup EXIT
"$root/tests/harness/pg_cluster.sh" start "$pgdir" >/dev/null
unset DATABASE_URL
# shellcheck disable=SC1091
. "$pgdir/env"
# psql and pg_dump from the server's own bindir, not Debian's Perl wrapper in
# /usr/bin: its start-up (~25 ms a call) would pad every floor
export PATH="$STRATA_TEST_PG_BINDIR:$PATH"
[ "$transport" = tcp ] && export PGHOST=127.0.0.1
cd "$work"   # no tool picks up a config file (.env, sqitch.conf) from the caller's folder
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

log() { echo "bench: $*" >&2; }
label() {
    case $1 in
    floor) echo "psql floor" ;; psql1) echo "psql -1" ;; strata) echo strata ;; strata1) echo "strata -1" ;;
    dbmate) echo dbmate ;; npm) echo node-pg-migrate ;; sqitch) echo Sqitch ;;
    status) echo "strata status" ;; select1) echo "psql -c 'select 1'" ;; pqstart) echo "libpq start" ;;
    esac
}

# URLs for database $1, for each tool, over the chosen transport
if [ "$transport" = socket ]; then
    url_pq()     { echo "postgresql://postgres@/$1?host=$PGHOST&port=$PGPORT"; }
    url_dbmate() { echo "postgres://postgres@/$1?socket=$PGHOST&port=$PGPORT"; }
else
    url_pq()     { echo "postgresql://postgres@127.0.0.1:$PGPORT/$1?sslmode=disable"; }
    url_dbmate() { echo "postgres://postgres@127.0.0.1:$PGPORT/$1?sslmode=disable"; }
fi
url_sqitch() { echo "db:pg://postgres@/$1"; }   # host and port from PGHOST/PGPORT

# fresh DB: an empty database, and a checkpoint so that the previous run's dirty
# pages are not written out during the next one
fresh() {
    psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "SET client_min_messages = warning" \
        -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" -c CHECKPOINT >/dev/null
}
# join A B...: "A, B, ..."
join() { local out=$1; shift; for x in "$@"; do out+=", $x"; done; echo "$out"; }

# Sqitch: no user or system config of the caller's, a fixed committer.
: > "$work/sqitch-user.conf"
export SQITCH_USER_CONFIG=$work/sqitch-user.conf SQITCH_FULLNAME=bench SQITCH_EMAIL=bench@example.com
export BENCH_NPM_URL
BENCH_NPM_URL=$(url_pq b_npm)

# --- which peers can run ------------------------------------------------------
declare -A why=() ver=()
# reason_in FILE KEY...: the first reason recorded for one of the keys
reason_in() {
    local f=$1 k r; shift
    [ -s "$f" ] || return 1
    for k in "$@"; do
        r=$(awk -F'\t' -v k="$k" '$1 == k { print k ": " $2; exit }' "$f")
        [ -n "$r" ] && { echo "$r"; return 0; }
    done
    return 1
}
apt_report=$tools_dir/apt-missing.tsv
npm_report=$tools_dir/npm-missing.tsv

dbmate_bin=$(cat "$tools_dir/dbmate-bin" 2>/dev/null || true)
if [ -n "$dbmate_bin" ] && v=$("$dbmate_bin" --version 2>/dev/null); then
    ver[dbmate]=${v##* }
else
    why[dbmate]=$(reason_in "$npm_report" dbmate || reason_in "$apt_report" nodejs npm ||
                  echo "not installed in bench/.tools (run bench/tools.sh)")
fi
npm_js=$tools_dir/node_modules/node-pg-migrate/bin/node-pg-migrate.js
if command -v node >/dev/null 2>&1 && [ -f "$npm_js" ] && node "$npm_js" --version >/dev/null 2>&1; then
    ver[npm]=$(node -p "require('$tools_dir/node_modules/node-pg-migrate/package.json').version")
else
    why[npm]=$(reason_in "$npm_report" node-pg-migrate || reason_in "$apt_report" nodejs npm ||
               echo "not installed in bench/.tools (run bench/tools.sh)")
fi
if ! command -v sqitch >/dev/null 2>&1; then
    why[sqitch]=$(reason_in "$apt_report" sqitch || echo "sqitch is not installed (apt-get install sqitch)")
elif ! perl -MDBD::Pg -e 1 >/dev/null 2>&1; then
    why[sqitch]=$(reason_in "$apt_report" libdbd-pg-perl || echo "DBD::Pg is not installed (apt-get install libdbd-pg-perl)")
else
    v=$(sqitch --version 2>/dev/null); ver[sqitch]=${v##* }
fi
for t in dbmate npm sqitch; do
    if [ -n "${why[$t]:-}" ]; then log "$(label "$t") missing: ${why[$t]}"; fi
done

# --- command lines -------------------------------------------------------------
# cmdline KIND TOOL N DB: the command in CMD. KIND is apply or noop (the same
# command against a database that has every migration).
CMD=()
cmdline() {
    local g=$work/gen$3 db=$4
    case $2 in
    floor)  CMD=(psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$g/floor.sql") ;;
    psql1)  CMD=(psql -X -q -v ON_ERROR_STOP=1 -1 -d "$db" -f "$g/floor1.sql") ;;
    strata) CMD=("$strata" -q --url "$(url_pq "$db")" --migrations "$g/migrations" migrate) ;;
    strata1) CMD=("$strata" -q --url "$(url_pq "$db")" --migrations "$g/migrations" migrate --single-transaction) ;;
    status) CMD=("$strata" --url "$(url_pq "$db")" --migrations "$g/migrations" status) ;;
    select1) CMD=(psql -X -d "$db" -c 'select 1') ;;
    pqstart) CMD=("$work/pq_start") ;;
    dbmate) CMD=("$dbmate_bin" --no-dump-schema --migrations-dir "$g/dbmate" --url "$(url_dbmate "$db")" up) ;;
    # The URL goes through BENCH_NPM_URL (set once above) rather than an env(1) wrapper.
    npm)    CMD=(node "$npm_js" up --migrations-dir "$g/npm" --database-url-var BENCH_NPM_URL
                 --no-single-transaction --no-verbose) ;;
    sqitch) CMD=(sqitch --chdir "$g/sqitch" deploy --quiet "$(url_sqitch "$db")") ;;
    esac
}
dbname() { case $1 in status|select1) echo b_strata ;; *) echo "b_$1" ;; esac; }

# run_cmd MEMFILE CMD...: run once, output to $work/out.log, wall time in
# LAST_US (bash's clock: no fork inside the timed window but the command's
# own); with a MEMFILE, under /usr/bin/time -f %M. Returns the command's status.
LAST_US=0
run_cmd() {
    local mf=$1 t0 t1 rc=0
    shift
    if [ -n "$mf" ]; then
        t0=$EPOCHREALTIME
        /usr/bin/time -f %M -o "$mf" "$@" >"$work/out.log" 2>&1 || rc=$?
        t1=$EPOCHREALTIME
    else
        t0=$EPOCHREALTIME
        "$@" >"$work/out.log" 2>&1 || rc=$?
        t1=$EPOCHREALTIME
    fi
    LAST_US=$(( ${t1//[.,]/} - ${t0//[.,]/} ))
    return $rc
}
first_error() { grep -m1 -iE 'error|fatal|fail' "$work/out.log" || tail -n 1 "$work/out.log"; }

declare -A T=() MEM=() LIMIT=() FAIL=()
count() { local -a a; read -r -a a <<< "${T[$1]:-}"; echo ${#a[@]}; }

# bench_round KEYPREFIX KIND N R TOOL...: one repetition R over the tools in
# rotated order (R=0: warm-up with peak memory). Keys are KEYPREFIX|TOOL.
bench_round() {
    local pre=$1 kind=$2 n=$3 r=$4 warm=$5 j k t key rc mf
    shift 5
    local -a tl=("$@")
    k=${#tl[@]}
    local -a line=()
    for ((j = 0; j < k; j++)); do
        t=${tl[(j + r) % k]}
        key="$pre|$t"
        [ -n "${FAIL[$key]:-}" ] && continue
        if [ "$r" -ge "$warm" ] && [ "$(count "$key")" -ge "${LIMIT[$key]:-$timed_runs}" ]; then continue; fi
        if [ "$kind" = apply ]; then fresh "$(dbname "$t")"; fi
        cmdline "$kind" "$t" "$n" "$(dbname "$t")"
        mf=""
        if [ "$r" -eq 0 ]; then mf=$work/mem; fi
        rc=0
        run_cmd "$mf" "${CMD[@]}" || rc=$?
        if [ "$rc" -ne 0 ]; then
            case $t in
            floor|psql1|strata|status|select1)
                log "$pre: $t failed (exit $rc):"; tail -n 20 "$work/out.log" >&2; exit 1 ;;
            esac
            FAIL[$key]="exit $rc: $(first_error | cut -c1-160)"
            log "$pre: $t failed: ${FAIL[$key]}"
            continue
        fi
        if [ "$r" -eq 0 ]; then
            MEM[$key]=$(tail -n 1 "$mf")
            # only peers: the floors and strata always get every run
            if [ "$LAST_US" -gt $((slow_ms * 1000)) ] && [ "$slow_runs" -lt "$timed_runs" ] &&
               [[ " dbmate npm sqitch " == *" $t "* ]]; then
                LIMIT[$key]=$slow_runs
            fi
        fi
        if [ "$r" -ge "$warm" ]; then T[$key]+=" $LAST_US"; fi
        line+=("$(label "$t") $((LAST_US / 1000)) ms")
    done
    local what="run $((r - warm + 1))"
    if [ "$r" -lt "$warm" ]; then what="warm-up"; fi
    log "$pre $what: $(join ${line[@]+"${line[@]}"})"
}

# schema_check N TOOL...: dump each tool's schema, without bookkeeping, and
# compare it with the floor's; sets SCHEMA[N].
declare -A SCHEMA=()
dump_schema() {
    pg_dump --schema-only --no-owner --no-privileges -N strata -N sqitch \
        -T public.schema_migrations -T public.pgmigrations -T public.pgmigrations_id_seq \
        -T public.bench_history -d "$1" | grep -Ev '^(--|\\restrict|\\unrestrict)' | cat -s
}
schema_check() {
    local n=$1 t same=() differ=() objs
    shift
    dump_schema b_floor > "$work/schema_floor.sql"
    objs=$(grep -cE '^CREATE (TABLE|VIEW|INDEX)' "$work/schema_floor.sql" || true)
    for t in "$@"; do
        [ "$t" = floor ] && continue
        [ -n "${FAIL[apply$n|$t]:-}" ] && continue
        dump_schema "b_$t" > "$work/schema_$t.sql"
        if cmp -s "$work/schema_floor.sql" "$work/schema_$t.sql"; then
            same+=("$(label "$t")")
        else
            differ+=("$(label "$t")")
            log "apply N=$n: $(label "$t")'s schema differs from the floor's:"
            diff "$work/schema_floor.sql" "$work/schema_$t.sql" | head -n 20 >&2 || true
        fi
    done
    if [ ${#differ[@]} -eq 0 ]; then
        SCHEMA[$n]="yes (psql floor = $(join ${same[@]+"${same[@]}"}); $objs tables, views and indexes)"
    else
        SCHEMA[$n]="no (differ from the psql floor: $(join "${differ[@]}"); same: $(join ${same[@]+"${same[@]}"}))"
    fi
    log "apply N=$n: schemas identical: ${SCHEMA[$n]}"
    case " ${differ[*]:-} " in *strata*|*psql*) return 1 ;; esac   # labels: strata, psql -1
    return 0
}

# --- apply workloads -----------------------------------------------------------
schema_fail=0
if [ "$do_migrate" = 1 ]; then
    apply_tools=(floor strata psql1 strata1 dbmate npm sqitch)   # floor and strata mostly run back to back
    timed_runs=$runs
    for n in "${sizes[@]}"; do
        "$root/bench/gen.sh" "$work/gen$n/migrations" "$n"
        active=()
        for t in "${apply_tools[@]}"; do
            if [ -z "${why[$t]:-}" ]; then active+=("$t"); fi
        done
        for ((r = 0; r <= runs; r++)); do
            bench_round "apply$n" apply "$n" "$r" 1 "${active[@]}"
        done
        schema_check "$n" "${active[@]}" || schema_fail=1
    done

    # --- with $big applied: no-op re-runs and status ---------------------------------
    noop_tools=(pqstart select1 status strata dbmate npm sqitch)
    active=()
    if ! cc -std=c11 -O2 -Wall -Wextra -Werror -I/usr/include/postgresql -o "$work/pq_start" \
            "$root/bench/pq_start.c" -lpq 2>"$work/err.log"; then
        FAIL[noop|pqstart]="bench/pq_start.c did not build: $(head -n 1 "$work/err.log" | cut -c1-160)"
    fi
    for t in "${noop_tools[@]}"; do
        [ -n "${why[$t]:-}" ] && continue
        if [ -n "${FAIL[apply$big|$t]:-}" ]; then FAIL[noop|$t]="its apply N=$big failed"; continue; fi
        active+=("$t")
    done
    timed_runs=$noop_runs
    for ((r = 0; r <= noop_runs + 1; r++)); do   # two warm-ups
        bench_round noop noop "$big" "$r" 2 "${active[@]}"
    done

    # --- lint: 10,000 statements ----------------------------------------------------
    # the generated mix (CREATE TABLE, ALTER TABLE, CREATE INDEX, views, inserts) as one file
    "$root/bench/gen.sh" "$work/genlint/migrations" 4450 >/dev/null
    # twice over: about 11,000 statements (the linter does not mind repeated names)
    for k in 1 2; do
        cat "$work"/genlint/migrations/*.sql | sed -n '/-- strata:up/,/-- strata:down/p' | grep -v '^-- strata:'
    done > "$work/lint.sql"
    lint_stmts=$("$strata" lint --format json "$work/lint.sql" | jq '.statements')
    lint_t=()
    for ((r = 0; r <= runs; r++)); do
        run_cmd "" "$strata" lint --format json "$work/lint.sql" || true
        [ "$r" -gt 0 ] && lint_t+=("$LAST_US")
    done
    lint_med=$(printf '%s\n' "${lint_t[@]}" | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
    lint_rate=$(awk -v n="$lint_stmts" -v us="$lint_med" 'BEGIN { printf "%.0f", n / (us / 1e6) }')
fi

# --- schema: inspect and diff ----------------------------------------------------
# shellcheck disable=SC1091
. "$root/bench/schema.sh"
if [ "$do_schema" = 1 ]; then schema_measure; fi

# --- table ---------------------------------------------------------------------
fmt_ms() { awk -v u="$1" 'BEGIN { m = u / 1000; if (m >= 100) printf "%.0f", m; else printf "%.1f", m }'; }
# stats KEY: "median min max count" in microseconds
stats() {
    # shellcheck disable=SC2086  # a list of numbers, split on purpose
    printf '%s\n' ${T[$1]} | sort -n |
        awk '{ a[NR] = $1 } END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.0f %d %d %d\n", m, a[1], a[NR], NR }'
}
median_of() { local s; s=$(stats "$1"); echo "${s%% *}"; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

rows=()
# row WORKLOAD KEY FLOORKEY DESCRIPTION
row() {
    local wl=$1 key=$2 fkey=$3 desc=$4 t=${2#*|} s med mi ma cnt ratio runs_txt
    if [ -n "${why[$t]:-}" ]; then
        rows+=("| $wl | $desc | - | missing: ${why[$t]} | | | |"); return
    fi
    if [ -n "${FAIL[$key]:-}" ]; then
        rows+=("| $wl | $desc | - | failed: ${FAIL[$key]} | | | |"); return
    fi
    read -r med mi ma cnt <<< "$(stats "$key")"
    ratio=$(awk -v a="$med" -v b="$(median_of "$fkey")" 'BEGIN { printf "%.2fx", a / b }')
    runs_txt=$cnt
    [ -n "${LIMIT[$key]:-}" ] && runs_txt="$cnt (slow: warm-up > $((slow_ms / 1000)) s)"
    rows+=("| $wl | $desc | $runs_txt | $(fmt_ms "$med") | $(fmt_ms "$mi")-$(fmt_ms "$ma") | $ratio | $(mib "${MEM[$key]}") |")
}
if [ "$do_migrate" = 1 ]; then
    for n in "${sizes[@]}"; do
        row "apply N=$n" "apply$n|floor" "apply$n|floor" "psql floor: one session, 1 tx per migration + history insert"
        row "apply N=$n" "apply$n|psql1" "apply$n|floor" "psql -1: same script, one transaction for all"
        row "apply N=$n" "apply$n|strata" "apply$n|floor" "**strata migrate** (1 tx per migration)"
        row "apply N=$n" "apply$n|strata1" "apply$n|psql1" "**strata migrate --single-transaction** (x psql -1)"
        row "apply N=$n" "apply$n|dbmate" "apply$n|floor" "dbmate up (1 tx per migration)"
        row "apply N=$n" "apply$n|npm" "apply$n|floor" "node-pg-migrate up --no-single-transaction"
        row "apply N=$n" "apply$n|sqitch" "apply$n|floor" "sqitch deploy (1 tx per change)"
    done
    wl="$big applied"
    row "$wl" "noop|pqstart" "noop|select1" "a C program that loads libpq and exits (bench/pq_start.c: process start, no connection)"
    row "$wl" "noop|select1" "noop|select1" "psql -c 'select 1' (connection floor)"
    row "$wl" "noop|status" "noop|select1" "**strata status**"
    row "$wl" "noop|strata" "noop|select1" "**strata migrate** (no-op)"
    row "$wl" "noop|dbmate" "noop|select1" "dbmate up (no-op)"
    row "$wl" "noop|npm" "noop|select1" "node-pg-migrate up (no-op)"
    row "$wl" "noop|sqitch" "noop|select1" "sqitch deploy (no-op)"
fi
if [ "$do_schema" = 1 ]; then schema_rows; fi

# --- strata against its targets ------------------------------------------------
targets=()
verdict() { if awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'; then echo met; else echo "**missed**"; fi; }
# paired KEY FLOORKEY: median over the repetitions of KEY's time / FLOORKEY's
# time in the same repetition (less sensitive to load that drifts during the run)
paired() {
    local -a a b
    local i
    read -r -a a <<< "${T[$1]}"
    read -r -a b <<< "${T[$2]}"
    for i in "${!a[@]}"; do
        awk -v x="${a[$i]}" -v y="${b[$i]}" 'BEGIN { printf "%.4f\n", x / y }'
    done | sort -n | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.3f", m }'
}
if [ "$do_migrate" = 1 ]; then
    if [ -n "${T[apply1000|strata]:-}" ]; then
        r=$(awk -v a="$(median_of 'apply1000|strata')" -v b="$(median_of 'apply1000|floor')" 'BEGIN { printf "%.3f", a / b }')
        p=$(paired 'apply1000|strata' 'apply1000|floor')
        targets+=("- apply N=1000 <= 1.03x the psql floor: ${r}x (ratio of medians), $(verdict "$r" 1.03); median of the per-repetition ratios (strata and the floor run back to back): ${p}x, $(verdict "$p" 1.03)")
        m=${MEM[apply1000|strata]}
        targets+=("- peak RSS of strata migrate at N=1000 < 20 MB: $(mib "$m") MiB ($m KiB), $(verdict "$m" 20479)")
    fi
    if [ -n "${T[apply1000|strata1]:-}" ]; then
        r=$(awk -v a="$(median_of 'apply1000|strata1')" -v b="$(median_of 'apply1000|psql1')" 'BEGIN { printf "%.3f", a / b }')
        targets+=("- apply N=1000 single-transaction <= 1.03x psql -1: ${r}x (ratio of medians), $(verdict "$r" 1.03)")
    fi
    targets+=("- lint: $lint_stmts statements in $(fmt_ms "$lint_med") ms (whole process, JSON output): $lint_rate statements/s; >= 50,000/s: $(verdict 50000 "$lint_rate"); 10,000 in under 0.5 s: $(verdict "$(fmt_ms "$lint_med")" 500)")
    if [ "$big" = 1000 ]; then
        # the target is absolute: say what this machine's floors are beside it
        floors="\`psql -c 'select 1'\` here: $(fmt_ms "$(median_of 'noop|select1')") ms"
        if [ -z "${FAIL[noop|pqstart]:-}" ]; then
            floors+=", a program that only loads libpq: $(fmt_ms "$(median_of 'noop|pqstart')") ms"
        fi
        for k in strata status; do
            ms=$(fmt_ms "$(median_of "noop|$k")")
            name="no-op strata migrate"; [ "$k" = status ] && name="strata status"
            targets+=("- $name with 1000 applied <= 15 ms: $ms ms, $(verdict "$ms" 15) ($floors)")
        done
    fi
fi
if [ "$do_schema" = 1 ]; then schema_targets; fi

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
mem_gib=$(awk '/^MemTotal/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo)
via="through the cluster's unix socket"
if [ "$transport" = tcp ]; then via="over TCP to 127.0.0.1"; fi
machine="$(nproc) cores (${cpu:-unknown CPU}), $mem_gib GiB RAM, $(uname -sr), PostgreSQL $(psql -XAtc 'show server_version' -d postgres), fsync $(psql -XAtc 'show fsync' -d postgres), synchronous_commit $(psql -XAtc 'show synchronous_commit' -d postgres); every tool connects $via; load average (1, 5, 15 min) at the start $load_start, at the end $(cut -d' ' -f1-3 /proc/loadavg)"
versions="strata $("$strata" version 2>/dev/null | awk '{ print $2; exit }'), psql $(psql --version | awk '{ print $3 }')"
versions+=", dbmate ${ver[dbmate]:-missing}, node-pg-migrate ${ver[npm]:-missing} (pg $(node -p "require('$tools_dir/node_modules/pg/package.json').version" 2>/dev/null || echo missing), Node $(node -v 2>/dev/null || echo missing)), Sqitch ${ver[sqitch]:-missing}"

out=$work/results.md
{
    echo "# strata benchmarks"
    echo
    echo "Machine: $machine. Date: $(date -u +%Y-%m-%d)."
    echo
    echo "Versions: $versions."
    echo
    if [ "$do_migrate" = 1 ]; then
        echo "Each repetition runs every tool once, in an order rotated between repetitions; a warm-up"
        echo "(run under \`/usr/bin/time -f %M\` for the peak RSS), then $runs timed runs per apply workload and"
        echo "$noop_runs (after two warm-ups) per no-op workload. Wall-clock milliseconds: median, min-max; ratio to the"
        echo "floor of the workload (the psql floor for apply, \`psql -c 'select 1'\` with $big applied$([ "$do_schema" = 1 ] && echo ", \`pg_dump --schema-only\` for inspect"))."
        echo "Peak RSS is the client's largest process (Sqitch: perl, not its psql children), not the server's."
    else
        echo "Wall-clock milliseconds: median, min-max; ratio to the floor of the workload (pg_dump --schema-only for inspect)."
        echo "Peak RSS (\`/usr/bin/time -f %M\`, in the warm-up) is the client's, not the server's."
    fi
    echo
    echo "| workload | tool | runs | median ms | min-max ms | x floor | peak RSS MiB |"
    echo "|---|---|---|---|---|---|---|"
    printf '%s\n' "${rows[@]}"
    echo
    if [ "$do_migrate" = 1 ]; then
        for n in "${sizes[@]}"; do
            echo "Schemas identical at N=$n: ${SCHEMA[$n]}."
            echo
        done
        echo "(Compared: \`pg_dump --schema-only --no-owner --no-privileges\` of each tool's database after its last run, without"
        echo "the tools' bookkeeping: schemas strata and sqitch, tables schema_migrations, pgmigrations and bench_history.)"
        echo
        echo "How each tool runs (same SQL from bench/gen.sh, fresh database per run):"
        echo
        echo "- psql floor: \`psql -f floor.sql\`, one session; per migration BEGIN, the SQL, an insert into bench_history, COMMIT."
        echo "  psql and pg_dump are the server's own binaries ($STRATA_TEST_PG_BINDIR), not Debian's Perl wrapper /usr/bin/psql."
        echo "- psql -1: \`psql -1 -f floor1.sql\`, the same without the per-migration BEGIN/COMMIT: one commit in all."
        echo "- strata: \`strata -q --url URL --migrations DIR migrate\`, native files \`NNNN_step_N.sql\`; status: \`strata status\`."
        echo "  strata -1: the same with \`--single-transaction\`: every step in one transaction, the history rows written as one INSERT with the COMMIT."
        echo "- dbmate: \`dbmate --no-dump-schema --migrations-dir DIR --url URL up\`, files \`<version>_step_N.sql\` with \`-- migrate:up\`;"
        echo "  the prebuilt Go binary from @dbmate/<platform> is run directly (the npm package's \`dbmate\` is a Node wrapper that spawns it)."
        echo "- node-pg-migrate: \`node-pg-migrate up --migrations-dir DIR --no-single-transaction --no-verbose\`, SQL files with"
        echo "  \`-- Up Migration\`; its default (\`--single-transaction\`) would wrap the whole run in one transaction, like \`psql -1\`."
        echo "- Sqitch: \`sqitch deploy --quiet db:pg://...\`, a project from \`sqitch init\` with a plan of N changes, deploy scripts in"
        echo "  BEGIN/COMMIT as its templates write them; Sqitch runs one psql per change and records it in its registry (schema sqitch)."
        echo
    fi
    if [ "$do_schema" = 1 ]; then schema_notes; fi
    if [ ${#targets[@]} -gt 0 ]; then
        echo "strata against its targets:"
        echo
        printf '%s\n' "${targets[@]}"
    fi
} > "$out.tmp"
mv "$out.tmp" "$out"
if [ -z "$only" ]; then
    cp "$out" "$root/bench/RESULTS.md"
elif [ -n "${BENCH_OUT:-}" ]; then
    cp "$out" "$BENCH_OUT"
fi
cat "$out"
if [ "$schema_fail" -ne 0 ]; then
    log "strata's (or psql -1's) schema differs from the floor's: the comparison is not valid"
    exit 1
fi
