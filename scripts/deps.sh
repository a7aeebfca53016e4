#!/usr/bin/env bash
# scripts/deps.sh PROFILE
#
# Make sure the Debian packages needed for PROFILE are installed, installing
# only the missing ones.  PROFILE is one of: build, demo, test, bench.
#
# Quiet when everything is present; prints one line when it installs something.
# Exit codes: 0 ok, 2 usage error, 3 packages missing and cannot install
# (not root and no usable sudo), other non-zero: apt-get failed.
# Never reads stdin (safe in CI).
#
# The bench profile also installs the peers strata is compared with (Sqitch and
# its PostgreSQL driver; Node.js and npm when `node`/`npm` are not on PATH, for
# dbmate and node-pg-migrate, which bench/tools.sh installs from npm).  Those are
# optional: one that cannot be installed is reported, not an error, and with
# DEPS_REPORT=FILE each is written to FILE as "package<TAB>why" (FILE is
# emptied first), so the benchmark can list it as missing with the reason.
set -euo pipefail

usage() {
    echo "usage: $0 build|demo|test|bench|fuzz" >&2
    exit 2
}

[ $# -eq 1 ] || usage

build_pkgs=(gcc make pkg-config libpq-dev libsqlite3-dev libssl-dev libinih-dev
            libjansson-dev libpg-query-dev libmicrohttpd-dev)
test_pkgs=("${build_pkgs[@]}" postgresql libcmocka-dev sqlite3 procps jq)
bench_pkgs=("${test_pkgs[@]}" hyperfine time)
fuzz_pkgs=("${build_pkgs[@]}" clang libclang-rt-14-dev)

opt_pkgs=()
case "$1" in
    build|demo) pkgs=("${build_pkgs[@]}") ;;
    test)       pkgs=("${test_pkgs[@]}") ;;
    bench)      pkgs=("${bench_pkgs[@]}")
                opt_pkgs=(sqitch libdbd-pg-perl)
                # Node.js may come from elsewhere (NodeSource, nvm): only the
                # commands matter, and NodeSource's nodejs already ships npm.
                command -v node >/dev/null 2>&1 || opt_pkgs+=(nodejs)
                command -v npm >/dev/null 2>&1 || opt_pkgs+=(npm) ;;
    fuzz)       pkgs=("${fuzz_pkgs[@]}") ;;
    *)          usage ;;
esac

report=${DEPS_REPORT:-}
if [ -n "$report" ]; then mkdir -p "$(dirname "$report")"; : > "$report"; fi
# not_installed PKG WHY: an optional package stays missing
not_installed() {
    echo "deps.sh: optional package $1 not installed: $2" >&2
    if [ -n "$report" ]; then printf '%s\t%s\n' "$1" "$2" >> "$report"; fi
}

is_installed() {
    local status
    status=$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) || return 1
    [ "$status" = "install ok installed" ]
}

missing=()
for p in "${pkgs[@]}"; do
    is_installed "$p" || missing+=("$p")
done
opt_missing=()
for p in ${opt_pkgs[@]+"${opt_pkgs[@]}"}; do
    is_installed "$p" || opt_missing+=("$p")
done

[ ${#missing[@]} -eq 0 ] && [ ${#opt_missing[@]} -eq 0 ] && exit 0

install_cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"

if [ "$(id -u)" -eq 0 ]; then
    sudo_cmd=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true </dev/null >/dev/null 2>&1; then
    # -n: never prompt for a password (there may be no terminal / stdin).
    sudo_cmd=(sudo -n)
elif [ ${#missing[@]} -eq 0 ]; then
    for p in "${opt_missing[@]}"; do
        not_installed "$p" "not root and no passwordless sudo (as root: apt-get install $p)"
    done
    exit 0
else
    {
        echo "deps.sh: missing Debian packages for profile '$1': ${missing[*]}"
        if command -v sudo >/dev/null 2>&1; then
            echo "deps.sh: not root, and sudo cannot run without a password prompt."
        else
            echo "deps.sh: not root, and sudo is not available."
        fi
        echo "deps.sh: install them as root with:"
        echo "    $install_cmd"
    } >&2
    exit 3
fi

log=$(mktemp "${TMPDIR:-/tmp}/strata-deps.XXXXXX")
trap 'rm -f "$log"' EXIT

run_apt() {
    if ! "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive "$@" </dev/null >>"$log" 2>&1; then
        echo "deps.sh: failed: $*" >&2
        cat "$log" >&2
        echo "deps.sh: to install by hand, run as root:" >&2
        echo "    $install_cmd" >&2
        exit 1
    fi
}

apt_install=(apt-get -q -y --no-install-recommends -o DPkg::Lock::Timeout=300 install)

if [ ${#missing[@]} -gt 0 ]; then
    run_apt apt-get -q update
    run_apt "${apt_install[@]}" "${missing[@]}"
    echo "deps.sh: installed ${missing[*]}"
elif ! "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q update </dev/null >>"$log" 2>&1; then
    echo "deps.sh: apt-get update failed (going on with the package lists there are):" >&2
    grep -E '^(E|W|Err):' "$log" | tail -n 3 >&2 || true
fi

# Optional packages one at a time, so one that cannot be had keeps no other out.
for p in ${opt_missing[@]+"${opt_missing[@]}"}; do
    : > "$log"
    if "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive "${apt_install[@]}" "$p" </dev/null >>"$log" 2>&1; then
        echo "deps.sh: installed $p"
    else
        why=$(grep -E '^E:' "$log" | tail -n 1)
        not_installed "$p" "apt-get install failed: ${why:-$(tail -n 1 "$log")}"
    fi
done
