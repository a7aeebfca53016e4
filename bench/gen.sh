#!/usr/bin/env bash
# bench/gen.sh DIR N: write N deterministic native migrations into DIR (a
# realistic mix: tables with identity keys and timestamps, added columns,
# indexes, views and a few inserts), and DIR/../floor.sql: the same SQL as one
# psql script, one transaction per migration plus a history insert (the floor).
set -euo pipefail
dir=$1
n=$2
mkdir -p "$dir"
floor="$(dirname "$dir")/floor.sql"
echo "CREATE TABLE bench_history (version bigint PRIMARY KEY, name text NOT NULL, checksum text, applied_at timestamptz NOT NULL DEFAULT now());" > "$floor"
for ((i = 1; i <= n; i++)); do
    f=$(printf '%s/%04d_step_%d.sql' "$dir" "$i" "$i")
    t=$(( (i - 1) / 4 * 4 + 1 ))   # every 4 migrations work on one table
    case $(( i % 4 )) in
    1) sql="CREATE TABLE t_$t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now());" ;;
    2) sql="ALTER TABLE t_$t ADD COLUMN note text;
INSERT INTO t_$t (name, note) VALUES ('a', 'first'), ('b', 'second');" ;;
    3) sql="CREATE INDEX t_${t}_name_idx ON t_$t (name);" ;;
    0) sql="CREATE VIEW v_$t AS SELECT id, name, note FROM t_$t WHERE note IS NOT NULL;" ;;
    esac
    printf -- '-- strata:up\n%s\n' "$sql" > "$f"
    printf 'BEGIN;\n%s\nINSERT INTO bench_history (version, name, checksum) VALUES (%d, %s, %s);\nCOMMIT;\n' \
        "$sql" "$i" "'step_$i'" "'$(sha256sum "$f" | cut -c1-64)'" >> "$floor"
done
