#!/usr/bin/env bash
# tests/run.sh BUILD_DIR
#
# Runs every test: the cmocka unit tests in BUILD_DIR/tests/, then the
# integration tests in tests/integration/test_*.sh against the strata binary
# in BUILD_DIR, on real SQLite files and on a private PostgreSQL cluster this
# script starts (tests/harness/pg_cluster.sh) and always stops, by trap.
# Prints "N passed, N failed" last; exits non-zero on any failure.
#
# TESTS=pattern runs only integration tests whose function name matches.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build-san}
case "$build" in /*) ;; *) build="$root/$build" ;; esac
export STRATA="$build/strata"
export ASAN_OPTIONS="exitcode=99:detect_leaks=1:abort_on_error=0"
export UBSAN_OPTIONS="exitcode=98:halt_on_error=1:print_stacktrace=1"
export LSAN_OPTIONS="suppressions=$root/tests/lsan.supp:print_suppressions=0"

passed=0
failed=0
failures=()

# ---- unit tests -------------------------------------------------------------
for t in "$build"/tests/test_*; do
    [ -x "$t" ] || continue
    name=$(basename "$t")
    if out=$("$t" 2>&1); then
        n=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
        passed=$((passed + ${n:-1}))
        echo "unit $name: ${n:-1} passed"
    else
        printf '%s\n' "$out" | tail -30
        n=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
        failed=$((failed + ${n:-1}))
        failures+=("unit $name")
        echo "unit $name: FAILED"
    fi
done

# ---- the PostgreSQL cluster -------------------------------------------------
pgdir=$(mktemp -d /tmp/stpg.XXXXXX)
cleanup() { "$root/tests/harness/pg_cluster.sh" stop "$pgdir" >/dev/null 2>&1; rm -rf "$pgdir"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
if ! "$root/tests/harness/pg_cluster.sh" start "$pgdir"; then
    echo "tests: could not start PostgreSQL; see $pgdir/server.log" >&2
    cat "$pgdir/server.log" >&2 2>/dev/null
    echo "$passed passed, $((failed + 1)) failed"
    exit 1
fi
# shellcheck disable=SC1091
. "$pgdir/env"

# ---- integration tests --------------------------------------------------------
export STRATA_TEST_ROOT="$root"
for file in "$root"/tests/integration/test_*.sh; do
    fns=$(bash -c ". '$root/tests/integration/lib.sh'; . '$file'; declare -F" | awk '{print $3}' | grep '^test_' || true)
    for fn in $fns; do
        case "$fn" in
            test_both_*) drivers="sqlite postgres" ;;
            test_pg_*) drivers="postgres" ;;
            *) drivers="sqlite" ;;
        esac
        if [ -n "${TESTS:-}" ] && [[ "$fn" != *${TESTS}* ]]; then continue; fi
        for drv in $drivers; do
            log=$(mktemp /tmp/strata-test.XXXXXX)
            if DRIVER=$drv bash -c "set -eo pipefail; . '$root/tests/integration/lib.sh'; . '$file'; setup_test; trap teardown_test EXIT; $fn" >"$log" 2>&1; then
                passed=$((passed + 1))
                echo "ok   $(basename "$file" .sh) $fn [$drv]"
            else
                failed=$((failed + 1))
                failures+=("$fn [$drv]")
                echo "FAIL $(basename "$file" .sh) $fn [$drv]"
                sed 's/^/     | /' "$log" | tail -40
            fi
            rm -f "$log"
        done
    done
done

if [ ${#failures[@]} -gt 0 ]; then
    echo "failed:"
    printf '  %s\n' "${failures[@]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
