# test_connect.sh: connecting, failing to connect, and never showing a
# password: URI form, ?password= query form and libpq key=value form, for an
# unreachable server, a wrong password and a right one.
#
# The harness's cluster has a role strata_pw (password in
# $STRATA_TEST_PG_PW_URL) that may log in over TCP to strata_test but has no
# CREATE there.

pw_of_url() {
    # the password inside $STRATA_TEST_PG_PW_URL (postgresql://user:PW@host:port/db)
    local u=${STRATA_TEST_PG_PW_URL#*://}
    u=${u%%@*}
    echo "${u#*:}"
}

# a TCP port on 127.0.0.1 nothing listens on
free_port() {
    local p
    for _ in $(seq 1 100); do
        p=$(( 20000 + RANDOM % 40000 ))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"
            return
        fi
    done
    echo "no free port" >&2
    return 1
}

# no_secret S: neither stdout nor stderr of the last command holds S
no_secret() {
    [ -n "$1" ] || fail "no_secret: empty secret"
    expect_no_out "$1"
    expect_no_err "$1"
}

# connect_fails URL SECRET...: status, migrate and status --json on URL all
# exit 4, never print a secret, and say what failed
connect_fails() {
    local url=$1
    shift
    local cmd s
    for cmd in "status" "migrate" "status --json" "verify" "down --dry-run"; do
        # shellcheck disable=SC2086
        raw --url "$url" $cmd
        expect_rc 4
        expect_err "cannot connect"
        for s in "$@"; do no_secret "$s"; done
    done
}

setup_pw_fixture() {
    mig 0001_a.sql <<'SQL'
CREATE TABLE a (x integer);
SQL
    PW=$(pw_of_url)
    PW_HOSTPORT=${STRATA_TEST_PG_PW_URL#*@}
    PW_HOSTPORT=${PW_HOSTPORT%%/*}
    PW_PORT=${PW_HOSTPORT#*:}
    [ -n "$PW" ] && [ "$PW" != "$STRATA_TEST_PG_PW_URL" ] || fail "cannot read the password from the URL"
}

test_pg_unreachable_server() {
    setup_pw_fixture
    local port
    port=$(free_port)
    connect_fails "postgresql://strata_pw:$PW@127.0.0.1:$port/strata_test" "$PW"
    expect_err "127.0.0.1"
    expect_err "****"
    connect_fails "postgresql://strata_pw@127.0.0.1:$port/strata_test?password=$PW" "$PW"
    expect_err "password=****"
    connect_fails "host=127.0.0.1 port=$port user=strata_pw password=$PW dbname=strata_test" "$PW"
    expect_err "password=****"
    # a unix socket folder that does not exist
    connect_fails "postgresql://postgres@/strata_test?host=/nonexistent-strata-dir&port=$port"
}

test_pg_wrong_password() {
    setup_pw_fixture
    local wrong="wrong-$PW-x"
    local url=${STRATA_TEST_PG_PW_URL/:$PW@/:$wrong@}
    [ "$url" != "$STRATA_TEST_PG_PW_URL" ] || fail "could not build the wrong-password URL"
    connect_fails "$url" "$wrong" "$PW"
    expect_err "password authentication failed"
    expect_err "strata_pw:****@"
    connect_fails "postgresql://strata_pw@$PW_HOSTPORT/strata_test?password=$wrong" "$wrong"
    expect_err "password authentication failed"
    connect_fails "postgresql://strata_pw@$PW_HOSTPORT/strata_test?sslmode=disable&password=$wrong" "$wrong"
    connect_fails "host=127.0.0.1 port=$PW_PORT user=strata_pw password=$wrong dbname=strata_test" "$wrong"
    expect_err "password authentication failed"
    connect_fails "host=127.0.0.1 port=$PW_PORT user=strata_pw password='$wrong with spaces' dbname=strata_test" \
        "$wrong" "with spaces"
    connect_fails "password=$wrong host=127.0.0.1 port=$PW_PORT user=strata_pw dbname=strata_test" "$wrong"
    # percent-encoded in the URI
    connect_fails "postgresql://strata_pw:pa%3Ass-$wrong@$PW_HOSTPORT/strata_test" "$wrong" "pa%3Ass" "pa:ss"
}

test_pg_password_from_environment_and_config() {
    setup_pw_fixture
    local wrong="wrong-$PW-x"
    local url=${STRATA_TEST_PG_PW_URL/:$PW@/:$wrong@}
    DATABASE_URL=$url raw status
    expect_rc 4
    no_secret "$wrong"
    printf '[database]\nurl = %s\n' "$url" > strata.conf
    raw status --json
    expect_rc 4
    no_secret "$wrong"
    [ "$(json_get .error.code)" = 4 ] || fail "json error code"
    printf '[database]\nurl = sqlite:x.db\n[env "prod"]\nurl = %s\n' "$url" > strata.conf
    raw --env prod migrate
    expect_rc 4
    no_secret "$wrong"
}

test_pg_password_with_scheme_in_keyvalue() {
    # a libpq key=value string whose password holds "://" is still key=value
    # (url.c says so); it must reach the server, not be refused as a URL
    setup_pw_fixture
    raw --url "host=127.0.0.1 port=$PW_PORT user=strata_pw password=ab://cd-wrong dbname=strata_test" status
    no_secret "ab://cd-wrong"
    no_secret "cd-wrong"
    expect_rc 4
    expect_err "password authentication failed"
}

test_pg_right_password_status_reads_only() {
    setup_pw_fixture
    raw --url "$STRATA_TEST_PG_PW_URL" status
    expect_rc 0
    no_secret "$PW"
    expect_out "strata_pw:****@"
    expect_out "0 applied, 1 pending"
    raw --url "$STRATA_TEST_PG_PW_URL" status --json
    expect_rc 0
    no_secret "$PW"
    [ "$(json_get .target)" = "${STRATA_TEST_PG_PW_URL/:$PW@/:****@}" ] || fail "target: $(json_get .target)"
    [ "$(json_get '.migrations[0].state')" = pending ] || fail "state"
    # key=value and query forms, same result
    raw --url "host=127.0.0.1 port=$PW_PORT user=strata_pw password=$PW dbname=strata_test" status
    expect_rc 0
    no_secret "$PW"
    expect_out "password=****"
    raw --url "postgresql://strata_pw@$PW_HOSTPORT/strata_test?password=$PW" status
    expect_rc 0
    no_secret "$PW"
    expect_out "password=****"
    # plan and verify read only too
    raw --url "$STRATA_TEST_PG_PW_URL" plan
    expect_rc 0
    no_secret "$PW"
    expect_out "CREATE TABLE a"
    raw --url "$STRATA_TEST_PG_PW_URL" verify
    expect_rc 0
    no_secret "$PW"
    # status created nothing in strata_test (the role could not, and must not try)
    [ "$(psql -X -q -A -t -d strata_test -c "SELECT count(*) FROM pg_namespace WHERE nspname = 'strata'")" = 0 ] ||
        fail "a strata schema appeared in strata_test"
    # migrate needs CREATE: it fails, and still shows no password
    raw --url "$STRATA_TEST_PG_PW_URL" migrate
    [ "$RC" != 0 ] || fail "migrate without CREATE succeeded"
    expect_err "permission denied"
    no_secret "$PW"
}

test_pg_password_full_cycle() {
    # give strata_pw CREATE on this test's database and run a whole cycle
    setup_pw_fixture
    mig 0001_a.sql <<'SQL'
-- strata:up
CREATE TABLE a (x integer);
-- strata:down
DROP TABLE a;
SQL
    mig 0002_b.sql <<'SQL'
SELECT * FROM no_such_table;
SQL
    psql -X -q -d "$DBNAME" -c "GRANT CREATE ON DATABASE $DBNAME TO strata_pw; GRANT CREATE ON SCHEMA public TO strata_pw" >/dev/null
    local url="postgresql://strata_pw:$PW@$PW_HOSTPORT/$DBNAME"
    raw --url "$url" migrate
    expect_rc 5
    no_secret "$PW"
    expect_err "no_such_table"
    rm migrations/0002_b.sql
    raw --url "$url" migrate --dry-run
    expect_rc 0
    no_secret "$PW"
    raw --url "$url" migrate
    expect_rc 0
    no_secret "$PW"
    expect_out "strata_pw:****@"
    [ "$(sql "SELECT applied_by FROM strata.strata_history")" = strata_pw ] || fail "applied_by"
    raw --url "$url" --json status
    expect_rc 0
    no_secret "$PW"
    raw --url "$url" baseline 1
    expect_rc 3
    no_secret "$PW"
    raw --url "$url" down
    expect_rc 0
    no_secret "$PW"
    expect_out "reverted 1 migration"
    raw --url "$url" repair
    expect_rc 0
    no_secret "$PW"
}

test_sqlite_cannot_open() {
    mig 0001_a.sql <<'SQL'
CREATE TABLE a (x integer);
SQL
    raw --url "sqlite:$T/no/such/folder/x.db" migrate
    expect_rc 4
    expect_err "no/such/folder/x.db"
    raw --url "sqlite:" status
    expect_rc 3
    raw --url "mysql://root:hunter2@localhost/db" status
    expect_rc 3
    expect_err "no driver"
    no_secret hunter2
}
