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
set -euo pipefail

usage() {
    echo "usage: $0 build|demo|test|bench" >&2
    exit 2
}

[ $# -eq 1 ] || usage

build_pkgs=(gcc make pkg-config libpq-dev libsqlite3-dev libssl-dev libinih-dev
            libjansson-dev libpg-query-dev libmicrohttpd-dev)
test_pkgs=("${build_pkgs[@]}" postgresql libcmocka-dev sqlite3 procps jq)
bench_pkgs=("${test_pkgs[@]}" hyperfine time)

case "$1" in
    build|demo) pkgs=("${build_pkgs[@]}") ;;
    test)       pkgs=("${test_pkgs[@]}") ;;
    bench)      pkgs=("${bench_pkgs[@]}") ;;
    *)          usage ;;
esac

is_installed() {
    local status
    status=$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) || return 1
    [ "$status" = "install ok installed" ]
}

missing=()
for p in "${pkgs[@]}"; do
    is_installed "$p" || missing+=("$p")
done

[ ${#missing[@]} -eq 0 ] && exit 0

install_cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"

if [ "$(id -u)" -eq 0 ]; then
    sudo_cmd=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true </dev/null >/dev/null 2>&1; then
    # -n: never prompt for a password (there may be no terminal / stdin).
    sudo_cmd=(sudo -n)
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

run_apt apt-get -q update
run_apt apt-get -q -y --no-install-recommends -o DPkg::Lock::Timeout=300 install "${missing[@]}"

echo "deps.sh: installed ${missing[*]}"
