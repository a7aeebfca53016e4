#!/usr/bin/env bash
# bench/tools.sh: install the npm peers of the benchmark into bench/.tools
# (ignored by git), only what is missing, and check that each one runs:
#
#   dbmate           its npm package runs a prebuilt Go binary from the optional
#                    dependency @dbmate/<platform>-<arch>; the benchmark runs that
#                    binary directly (the package's bin is a Node wrapper that
#                    spawns it), so its path goes to bench/.tools/dbmate-bin
#   node-pg-migrate  with pg, its driver (a peer dependency)
#
# Versions are pinned so runs compare like with like; node-pg-migrate 9 needs
# Node >= 20.11, older Node (Debian 12 ships 18.19) gets 7.9.1.
# A tool that cannot be installed or does not run is written to
# bench/.tools/npm-missing.tsv as "tool<TAB>why" (bench/run.sh lists it as
# missing with that reason); this script itself does not fail for it.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tools=$root/bench/.tools
mkdir -p "$tools"
report=$tools/npm-missing.tsv
: > "$report"
rm -f "$tools/dbmate-bin"

DBMATE_VERSION=2.36.0
PG_VERSION=8.23.1

missing() {
    echo "bench/tools.sh: $1 missing: $2" >&2
    printf '%s\t%s\n' "$1" "$2" >> "$report"
}

if ! command -v node >/dev/null 2>&1; then
    missing dbmate "node is not installed (needed to install it from npm)"
    missing node-pg-migrate "node is not installed"
    exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
    missing dbmate "npm is not installed"
    missing node-pg-migrate "npm is not installed"
    exit 0
fi

# node_version_ge MAJOR MINOR
node_version_ge() {
    node -e 'const [a,b]=process.versions.node.split(".").map(Number);
             process.exit(a > +process.argv[1] || (a == +process.argv[1] && b >= +process.argv[2]) ? 0 : 1)' "$1" "$2"
}
if node_version_ge 20 11; then
    NPM_VERSION=9.0.0
elif node_version_ge 18 19; then
    NPM_VERSION=7.9.1
else
    NPM_VERSION=
fi

# installed_version PKG: version in bench/.tools/node_modules, or nothing
installed_version() {
    node -e 'try { console.log(require(process.argv[1] + "/node_modules/" + process.argv[2] + "/package.json").version) } catch (e) {}' \
        "$tools" "$1" 2>/dev/null
}

want=()
[ "$(installed_version dbmate)" = "$DBMATE_VERSION" ] || want+=("dbmate@$DBMATE_VERSION")
[ "$(installed_version pg)" = "$PG_VERSION" ] || want+=("pg@$PG_VERSION")
if [ -n "$NPM_VERSION" ] && [ "$(installed_version node-pg-migrate)" != "$NPM_VERSION" ]; then
    want+=("node-pg-migrate@$NPM_VERSION")
fi

npm_failed=
if [ ${#want[@]} -gt 0 ]; then
    log=$(mktemp "${TMPDIR:-/tmp}/strata-npm.XXXXXX")
    if npm install --prefix "$tools" --no-audit --no-fund --loglevel=error "${want[@]}" </dev/null >"$log" 2>&1; then
        echo "bench/tools.sh: installed ${want[*]} into bench/.tools"
    else
        npm_failed=$(grep -E 'npm (ERR!|error)' "$log" | grep -v 'A complete log' | head -n 2 | tr '\n' ' ')
        echo "bench/tools.sh: npm install ${want[*]} failed:" >&2
        tail -n 15 "$log" >&2
    fi
    rm -f "$log"
fi

# dbmate: the platform binary the npm wrapper would spawn, and that it runs.
# shellcheck disable=SC2016  # JavaScript template literal, not shell
bin=$(node -e 'const { createRequire } = require("module");
    const r = createRequire(process.argv[1] + "/node_modules/dbmate/package.json");
    try { console.log(r.resolve(`@dbmate/${process.platform}-${process.arch}/bin/dbmate`)) } catch (e) {}' "$tools" 2>/dev/null)
if [ -z "$(installed_version dbmate)" ]; then
    missing dbmate "npm install dbmate@$DBMATE_VERSION failed${npm_failed:+: $npm_failed}"
elif [ -z "$bin" ]; then
    missing dbmate "no prebuilt binary for $(node -p 'process.platform + "-" + process.arch') (optional dependency @dbmate/$(node -p 'process.platform + "-" + process.arch') not installed)"
elif ! out=$("$bin" --version 2>&1); then
    missing dbmate "the prebuilt binary $bin does not run: $(echo "$out" | head -n 1)"
else
    echo "$bin" > "$tools/dbmate-bin"
fi

# node-pg-migrate
if [ -z "$NPM_VERSION" ]; then
    missing node-pg-migrate "Node $(node -v) is too old (node-pg-migrate 7 needs >= 18.19)"
elif [ -z "$(installed_version node-pg-migrate)" ] || [ -z "$(installed_version pg)" ]; then
    missing node-pg-migrate "npm install node-pg-migrate@$NPM_VERSION pg@$PG_VERSION failed${npm_failed:+: $npm_failed}"
elif ! out=$(node "$tools/node_modules/node-pg-migrate/bin/node-pg-migrate.js" --version 2>&1); then
    missing node-pg-migrate "does not run: $(echo "$out" | head -n 1)"
fi
exit 0
