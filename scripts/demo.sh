#!/usr/bin/env bash
# scripts/demo.sh STRATA: the five-minute tour on the example shop project,
# against the embedded default database (a SQLite file). The project is
# copied to build/demo/ first, so every run starts from an empty database.
set -euo pipefail
cd "$(dirname "$0")/.."
strata=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
demo=build/demo
rm -rf "$demo"
mkdir -p "$demo"
cp -r examples/shop "$demo/shop"

run() {
    echo
    echo "\$ strata $*"
    "$strata" "$@"
}

echo "strata demo: the example project in examples/shop (copied to $demo/shop)"
run -C "$demo/shop" status
run -C "$demo/shop" plan --to 2
run -C "$demo/shop" migrate
run -C "$demo/shop" status
run -C "$demo/shop" down
run -C "$demo/shop" --env dev migrate
run -C "$demo/shop" verify
echo
echo "The database is $demo/shop/strata.db; try: sqlite3 $demo/shop/strata.db .schema"
