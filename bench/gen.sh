#!/usr/bin/env bash
# bench/gen.sh DIR N: write N deterministic migrations (a realistic mix: tables
# with identity keys and timestamps, added columns, indexes, views and a few
# inserts, each with its down SQL), the same SQL in every tool's format:
#
#   DIR/                  strata native: NNNN_step_N.sql, -- strata:up / -- strata:down
#   DIR/../floor.sql      psql floor: one transaction per migration plus a
#                         history insert (bench_history)
#   DIR/../floor1.sql     the same script without the per-migration BEGIN/COMMIT,
#                         for `psql -1` (the whole run in one transaction)
#   DIR/../dbmate/        dbmate: <14-digit version>_step_N.sql, -- migrate:up / -- migrate:down
#   DIR/../npm/           node-pg-migrate SQL migrations: NNNN_step_N.sql,
#                         -- Up Migration / -- Down Migration
#   DIR/../sqitch/        Sqitch project (engine pg): sqitch.conf, sqitch.plan
#                         with N changes step_N, deploy/, revert/, verify/
#                         (deploy and revert scripts wrap their change in
#                         BEGIN/COMMIT, as Sqitch's own templates do)
#
# The Sqitch project starts from `sqitch init` when sqitch is installed and is
# written by hand otherwise (same files); the N changes are appended to the plan
# directly (`sqitch add` would start Perl N times).
set -euo pipefail
dir=$1
n=$2
base=$(dirname "$dir")
mkdir -p "$dir" "$base/dbmate" "$base/npm" "$base/sqitch"
floor="$base/floor.sql"
floor1="$base/floor1.sql"
sq="$base/sqitch"
history="CREATE TABLE bench_history (version bigint PRIMARY KEY, name text NOT NULL, checksum text, applied_at timestamptz NOT NULL DEFAULT now());"
echo "$history" > "$floor"
echo "$history" > "$floor1"

rm -rf "${sq:?}"/*
if command -v sqitch >/dev/null 2>&1 &&
   (cd "$sq" && SQITCH_USER_CONFIG=/dev/null sqitch init bench --engine pg --quiet >/dev/null 2>&1); then
    :
else
    rm -rf "${sq:?}"/*
    mkdir -p "$sq/deploy" "$sq/revert" "$sq/verify"
    printf '[core]\n\tengine = pg\n' > "$sq/sqitch.conf"
    printf '%%syntax-version=1.0.0\n%%project=bench\n\n' > "$sq/sqitch.plan"
fi
mkdir -p "$sq/deploy" "$sq/revert" "$sq/verify"

plan=""
for ((i = 1; i <= n; i++)); do
    printf -v f '%s/%04d_step_%d.sql' "$dir" "$i" "$i"
    printf -v fd '%s/dbmate/%014d_step_%d.sql' "$base" $(( 20240101000000 + i )) "$i"
    printf -v fn '%s/npm/%04d_step_%d.sql' "$base" "$i" "$i"
    t=$(( (i - 1) / 4 * 4 + 1 ))   # every 4 migrations work on one table
    case $(( i % 4 )) in
    1) sql="CREATE TABLE t_$t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now());"
       down="DROP TABLE t_$t;"
       verify="SELECT id, name, created_at, updated_at FROM t_$t WHERE false;" ;;
    2) sql="ALTER TABLE t_$t ADD COLUMN note text;
INSERT INTO t_$t (name, note) VALUES ('a', 'first'), ('b', 'second');"
       down="ALTER TABLE t_$t DROP COLUMN note;"
       verify="SELECT note FROM t_$t WHERE false;" ;;
    3) sql="CREATE INDEX t_${t}_name_idx ON t_$t (name);"
       down="DROP INDEX t_${t}_name_idx;"
       verify="SELECT 1/count(*) FROM pg_indexes WHERE indexname = 't_${t}_name_idx';" ;;
    0) sql="CREATE VIEW v_$t AS SELECT id, name, note FROM t_$t WHERE note IS NOT NULL;"
       down="DROP VIEW v_$t;"
       verify="SELECT id, name, note FROM v_$t WHERE false;" ;;
    esac
    printf -- '-- strata:up\n%s\n\n-- strata:down\n%s\n' "$sql" "$down" > "$f"
    sum=$(sha256sum "$f" | cut -c1-64)
    printf 'BEGIN;\n%s\nINSERT INTO bench_history (version, name, checksum) VALUES (%d, %s, %s);\nCOMMIT;\n' \
        "$sql" "$i" "'step_$i'" "'$sum'" >> "$floor"
    printf '%s\nINSERT INTO bench_history (version, name, checksum) VALUES (%d, %s, %s);\n' \
        "$sql" "$i" "'step_$i'" "'$sum'" >> "$floor1"
    printf -- '-- migrate:up\n%s\n\n-- migrate:down\n%s\n' "$sql" "$down" \
        > "$fd"
    printf -- '-- Up Migration\n%s\n\n-- Down Migration\n%s\n' "$sql" "$down" \
        > "$fn"
    printf -- '-- Deploy bench:step_%d to pg\n\nBEGIN;\n\n%s\n\nCOMMIT;\n' "$i" "$sql" > "$sq/deploy/step_$i.sql"
    printf -- '-- Revert bench:step_%d from pg\n\nBEGIN;\n\n%s\n\nCOMMIT;\n' "$i" "$down" > "$sq/revert/step_$i.sql"
    printf -- '-- Verify bench:step_%d on pg\n\nBEGIN;\n\n%s\n\nROLLBACK;\n' "$i" "$verify" > "$sq/verify/step_$i.sql"
    printf -v ts '2024-01-01T%02d:%02d:%02dZ' $(( i / 3600 % 24 )) $(( i / 60 % 60 )) $(( i % 60 ))
    plan+="step_$i $ts bench <bench@example.com> # step $i"$'\n'
done
printf '%s' "$plan" >> "$sq/sqitch.plan"
