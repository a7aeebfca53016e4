#!/usr/bin/env bash
# tests/harness/pg_cluster.sh start|stop DIR
#
# Private, throw-away PostgreSQL cluster for the strata test suite.
#
#   start DIR   initdb into DIR/data (unless already there), listen on
#               127.0.0.1:<free port> and on a unix socket in DIR, start it,
#               create role strata_pw (password 'sekret-pw-42') and database
#               strata_test, write DIR/env (shell export lines) and DIR/pid.
#   stop DIR    pg_ctl -m fast stop; if that fails, kill the recorded
#               postmaster PID only.  Exits 0 if the cluster is not running.
#
# DIR must already exist (the caller makes it with mktemp -d under /tmp; keep
# it short: the socket path DIR/.s.PGSQL.PORT must fit in 107 bytes).  When
# run as root, DIR is chowned to postgres and the server runs as postgres.
#
# Environment: PG_BINDIR  server binaries (default: newest /usr/lib/postgresql/*/bin)
#              PG_FAST=1  fsync=off (default: fsync stays on)
set -euo pipefail

PW_ROLE=strata_pw
PW_PASS=sekret-pw-42
TEST_DB=strata_test

die() { echo "pg_cluster.sh: $*" >&2; exit 1; }

usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }

[ $# -eq 2 ] || usage
action=$1
[ -d "$2" ] || die "directory '$2' does not exist (create it with mktemp -d)"
DIR=$(cd -P -- "$2" && pwd)
DATA=$DIR/data

# Do not let the caller's libpq/server environment leak into our commands.
while read -r v; do unset "$v"; done < <(compgen -e | grep -E '^PG[A-Z]' || true)

find_bindir() {
    if [ -n "${PG_BINDIR:-}" ]; then
        [ -x "$PG_BINDIR/pg_ctl" ] || die "PG_BINDIR=$PG_BINDIR has no pg_ctl"
        echo "$PG_BINDIR"
        return
    fi
    local d
    d=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    if [ ! -x "$d/pg_ctl" ]; then
        die "no PostgreSQL server found in /usr/lib/postgresql/*/bin (run scripts/deps.sh test, or set PG_BINDIR)"
    fi
    echo "$d"
}

BINDIR=$(find_bindir)

# Run a server-side command as the cluster owner.
if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || die "running as root but there is no 'postgres' user"
    as_owner() { (cd / && runuser -u postgres -- "$@"); }
else
    as_owner() { (cd / && "$@"); }
fi

is_running() {
    [ -f "$DATA/PG_VERSION" ] || return 1
    as_owner "$BINDIR/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

port_is_free() {
    local p=$1
    if command -v ss >/dev/null 2>&1; then
        [ -z "$(ss -Hltn "( sport = :$p )" 2>/dev/null)" ] || return 1
    fi
    # Also probe directly (covers a missing ss, and listeners in other netns views).
    if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
        return 1
    fi
    return 0
}

pick_port() {
    local i p
    for i in $(seq 1 200); do
        p=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40001 ))
        if port_is_free "$p"; then
            echo "$p"
            return
        fi
    done
    die "could not find a free TCP port in 20000-60000"
}

# Percent-encode a string for use in a URI query value.
urlencode() {
    local s=$1 out='' c i
    for (( i = 0; i < ${#s}; i++ )); do
        c=${s:i:1}
        case "$c" in
            [A-Za-z0-9._~/-]) out+=$c ;;
            *) out+=$(printf '%%%02X' "'$c") ;;
        esac
    done
    printf '%s' "$out"
}

# Write the settings this harness owns into a separate file, included from
# postgresql.conf, so a restart with a new port just rewrites it.
write_conf() {
    local port=$1 fsync=on
    [ "${PG_FAST:-0}" = 1 ] && fsync=off
    cat > "$DATA/strata_harness.conf" <<CONF
# Written by tests/harness/pg_cluster.sh
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$DIR'
unix_socket_permissions = 0700
fsync = $fsync
max_connections = 200
password_encryption = 'scram-sha-256'
logging_collector = on
log_directory = '$DIR/log'
log_filename = 'postgresql.log'
log_line_prefix = '%m [%p] %q%u@%d '
log_min_messages = warning
CONF
    if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$DATA/strata_harness.conf"; fi
}

cmd_start() {
    # socket path: DIR + "/.s.PGSQL.NNNNN" (16 bytes) must fit in sun_path (107 + NUL).
    if [ $(( ${#DIR} + 16 )) -gt 107 ]; then
        die "directory path '$DIR' is too long for a unix socket (max $((107 - 16)) bytes)"
    fi

    if [ "$(id -u)" -eq 0 ]; then
        chown postgres:postgres "$DIR"
        chmod 0700 "$DIR"
    fi

    if [ ! -f "$DATA/PG_VERSION" ]; then
        as_owner "$BINDIR/initdb" -D "$DATA" -A trust --auth-host=scram-sha-256 \
            -U postgres --no-sync -E UTF8 --locale=C >"$DIR/initdb.log" 2>&1 ||
            { cat "$DIR/initdb.log" >&2; die "initdb failed (log: $DIR/initdb.log)"; }
        cat > "$DATA/pg_hba.conf" <<HBA
# Written by tests/harness/pg_cluster.sh
# TYPE  DATABASE  USER      ADDRESS        METHOD
local   all       all                      trust
host    all       postgres  127.0.0.1/32   trust
host    all       all       127.0.0.1/32   scram-sha-256
HBA
        echo "include_if_exists = 'strata_harness.conf'" >> "$DATA/postgresql.conf"
        if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$DATA/pg_hba.conf"; fi
    fi

    if [ "$(id -u)" -eq 0 ]; then
        install -d -o postgres -g postgres -m 0700 "$DIR/log"
        touch "$DIR/server.log" && chown postgres:postgres "$DIR/server.log"
    else
        mkdir -p "$DIR/log"
    fi

    local port attempt
    if is_running; then
        port=$(sed -n 's/^port = \([0-9]*\)$/\1/p' "$DATA/strata_harness.conf")
    else
        # The port may be taken between the check and the bind: retry a few times.
        for attempt in 1 2 3 4 5; do
            port=$(pick_port)
            write_conf "$port"
            if as_owner "$BINDIR/pg_ctl" -D "$DATA" -w -t 60 -l "$DIR/server.log" start >/dev/null; then
                break
            fi
            if [ "$attempt" -lt 5 ] && grep -q 'could not bind\|Address already in use' "$DIR/server.log" "$DIR/log/postgresql.log" 2>/dev/null; then
                echo "pg_cluster.sh: port $port was taken, retrying" >&2
                : > "$DIR/server.log"
                continue
            fi
            tail -n 30 "$DIR/server.log" "$DIR/log/postgresql.log" >&2 2>/dev/null || true
            die "pg_ctl start failed (logs: $DIR/server.log, $DIR/log/)"
        done
    fi

    head -n 1 "$DATA/postmaster.pid" > "$DIR/pid"

    local psql=("$BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -h "$DIR" -p "$port" -U postgres)
    if ! "${psql[@]}" -d postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$PW_ROLE'" | grep -q 1; then
        "${psql[@]}" -d postgres -c "CREATE ROLE $PW_ROLE LOGIN PASSWORD '$PW_PASS'" >/dev/null
    fi
    if ! "${psql[@]}" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$TEST_DB'" | grep -q 1; then
        "${psql[@]}" -d postgres -c "CREATE DATABASE $TEST_DB OWNER postgres" >/dev/null
    fi

    local host_q
    host_q=$(urlencode "$DIR")
    cat > "$DIR/env.tmp" <<ENV
export STRATA_TEST_PG_URL='postgresql://postgres@/$TEST_DB?host=$host_q&port=$port'
export STRATA_TEST_PG_HOST='$DIR'
export STRATA_TEST_PG_PORT='$port'
export STRATA_TEST_PG_BINDIR='$BINDIR'
export STRATA_TEST_PG_PW_URL='postgresql://$PW_ROLE:$PW_PASS@127.0.0.1:$port/$TEST_DB'
export PGHOST='$DIR'
export PGPORT='$port'
export PGUSER='postgres'
export PGDATABASE='$TEST_DB'
ENV
    mv "$DIR/env.tmp" "$DIR/env"
}

cmd_stop() {
    [ -f "$DATA/PG_VERSION" ] || { rm -f "$DIR/pid"; return 0; }
    if ! is_running; then
        rm -f "$DIR/pid"
        return 0
    fi
    if as_owner "$BINDIR/pg_ctl" -D "$DATA" -m fast -w -t 60 stop >/dev/null 2>&1; then
        rm -f "$DIR/pid"
        return 0
    fi

    echo "pg_cluster.sh: pg_ctl stop failed, killing the recorded postmaster" >&2
    local pid
    pid=$(cat "$DIR/pid" 2>/dev/null || true)
    [[ "$pid" =~ ^[0-9]+$ ]] || die "no valid PID recorded in $DIR/pid"
    # Only kill it if it really is the postmaster of this cluster.
    if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF -- "$DATA"; then
        kill -QUIT "$pid" 2>/dev/null || true
        local i
        for i in $(seq 1 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.2
        done
        if kill -0 "$pid" 2>/dev/null; then
            kill -KILL "$pid" 2>/dev/null || true
            sleep 0.5
        fi
        kill -0 "$pid" 2>/dev/null && die "postmaster $pid is still running"
    else
        die "PID $pid in $DIR/pid is not the postmaster of $DATA; not killing it"
    fi
    rm -f "$DIR/pid"
}

case "$action" in
    start) cmd_start ;;
    stop)  cmd_stop ;;
    *)     usage ;;
esac
