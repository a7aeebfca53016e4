#!/usr/bin/env bash
# bench/run.sh STRATA: side-by-side timings on a private PostgreSQL (fsync on,
# loopback), medians of at least 5 timed runs after warm-ups, written to
# bench/RESULTS.md. Workloads: apply N=100 and N=1000 generated migrations
# (strata vs the psql floor: one session, one transaction per migration plus a
# history insert), then with 1000 applied: `strata status`, a no-op
# `strata migrate`, beside `psql -c 'select 1'`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
strata=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
runs=${BENCH_RUNS:-5}
work=$(mktemp -d /tmp/stbench.XXXXXX)
pgdir=$(mktemp -d /tmp/stpg.XXXXXX)
cleanup() { "$root/tests/harness/pg_cluster.sh" stop "$pgdir" >/dev/null 2>&1 || true; rm -rf "$work" "$pgdir"; }
trap cleanup EXIT
"$root/tests/harness/pg_cluster.sh" start "$pgdir" >/dev/null
# shellcheck disable=SC1091
. "$pgdir/env"
url() { echo "postgresql://postgres@/$1?host=$PGHOST&port=$PGPORT"; }
fresh() { psql -q -d postgres -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null; }

# time_ms CMD...: wall time of one run in ms
time_ms() {
    local t0 t1
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1
    t1=$(date +%s%N)
    echo $(( (t1 - t0) / 1000000 ))
}
median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%d", m}'; }
minmax() { sort -n | awk 'NR==1{mi=$1} {ma=$1} END {printf "%d-%d", mi, ma}'; }

rows=()
add_row() { rows+=("| $1 | $2 | $3 | $4 |"); }

for n in 100 1000; do
    gen="$work/gen$n"
    "$root/bench/gen.sh" "$gen/migrations" "$n"
    floor_t=() strata_t=()
    for ((r = 0; r <= runs; r++)); do   # run 0 is the warm-up
        fresh bfloor
        tf=$(time_ms psql -X -q -v ON_ERROR_STOP=1 -d bfloor -f "$gen/floor.sql")
        fresh bstrata
        ts=$(time_ms "$strata" -q --url "$(url bstrata)" --migrations "$gen/migrations" migrate)
        if [ "$r" -gt 0 ]; then floor_t+=("$tf"); strata_t+=("$ts"); fi
    done
    fm=$(printf '%s\n' "${floor_t[@]}" | median)
    sm=$(printf '%s\n' "${strata_t[@]}" | median)
    add_row "apply N=$n: psql floor (1 tx per migration + history insert)" "$fm" "$(printf '%s\n' "${floor_t[@]}" | minmax)" "1.00x"
    add_row "apply N=$n: strata migrate" "$sm" "$(printf '%s\n' "${strata_t[@]}" | minmax)" "$(awk -v a="$sm" -v b="$fm" 'BEGIN{printf "%.2fx", a/b}')"
done

# with 1000 applied (bstrata from the last loop)
st_t=() noop_t=() sel_t=()
for ((r = 0; r <= runs + 2; r++)); do
    a=$(time_ms "$strata" --url "$(url bstrata)" --migrations "$work/gen1000/migrations" status)
    b=$(time_ms "$strata" -q --url "$(url bstrata)" --migrations "$work/gen1000/migrations" migrate)
    c=$(time_ms psql -X -d bstrata -c 'select 1')
    if [ "$r" -gt 1 ]; then st_t+=("$a"); noop_t+=("$b"); sel_t+=("$c"); fi
done
sel=$(printf '%s\n' "${sel_t[@]}" | median)
add_row "psql -c 'select 1' (connection floor)" "$sel" "$(printf '%s\n' "${sel_t[@]}" | minmax)" "1.00x"
stm=$(printf '%s\n' "${st_t[@]}" | median)
add_row "strata status, 1000 applied" "$stm" "$(printf '%s\n' "${st_t[@]}" | minmax)" "$(awk -v a="$stm" -v b="$sel" 'BEGIN{printf "%.2fx", a/b}')"
nm=$(printf '%s\n' "${noop_t[@]}" | median)
add_row "strata migrate (no-op), 1000 applied" "$nm" "$(printf '%s\n' "${noop_t[@]}" | minmax)" "$(awk -v a="$nm" -v b="$sel" 'BEGIN{printf "%.2fx", a/b}')"

# peak memory of migrate at N=1000
fresh bmem
peak=$( { /usr/bin/time -f '%M' "$strata" -q --url "$(url bmem)" --migrations "$work/gen1000/migrations" migrate; } 2>&1 | tail -1 )

machine="$(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr), PostgreSQL $(psql -XAtc 'show server_version'), fsync $(psql -XAtc 'show fsync'), loopback socket"
{
    echo "# strata benchmarks"
    echo
    echo "Machine: $machine. Date: $(date -u +%Y-%m-%d). Runs: $runs timed after a warm-up; medians."
    echo "Binary size: $(stat -c %s "$strata") bytes. Peak RSS of strata migrate at N=1000: ${peak} KB."
    echo
    echo "| workload | median ms | min-max ms | ratio |"
    echo "|---|---|---|---|"
    printf '%s\n' "${rows[@]}"
} > "$root/bench/RESULTS.md"
cat "$root/bench/RESULTS.md"
