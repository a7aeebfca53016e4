# test_readme.sh: the README's five-minute tour, run as written (jq's man.test
# idea): if the README and the binary disagree, this goes red.

readme_block() {  # LANG N: the Nth ```LANG block after the tour's heading
    awk -v lang="$1" -v want="$2" '
        /^## A five-minute tour/ { on = 1 }
        on && $0 == "```" lang { n++; if (n == want) { inb = 1; next } }
        inb && $0 == "```" { exit }
        inb { print }' "$STRATA_TEST_ROOT/README.md"
}

test_pg_readme_tour_runs_as_written() {
    local tour migration
    tour=$(readme_block sh 1)
    migration=$(readme_block sql 1)
    [ -n "$tour" ] && [ -n "$migration" ] || fail "the tour or its migration file is missing from the README"
    rm -rf migrations
    export DATABASE_URL=$DBURL
    while IFS= read -r line; do
        cmd=${line%%#*}   # drop the comment
        cmd=$(sed 's/[[:space:]]*$//' <<<"$cmd")
        [ -n "$cmd" ] || continue
        case $cmd in
        '$EDITOR '*)  # the reader edits the new file: write the README's example into it
            printf '%s\n' "$migration" > "${cmd#\$EDITOR }"
            continue ;;
        strata\ *) ;;
        *) fail "unexpected line in the tour: $cmd" ;;
        esac
        # shellcheck disable=SC2086  # the README's words, split as a shell would
        raw ${cmd#strata }
        [ "$RC" = 0 ] || fail "README tour: '$cmd' exited $RC: $ERR"
        case $cmd in
        "strata migrate") table_exists users || fail "the tour's migrate did not create users" ;;
        "strata status") expect_out "applied" ;;
        "strata plan") expect_out "CREATE TABLE users" ;;
        esac
    done <<<"$tour"
    ! table_exists users || fail "the tour's down did not drop users"
}
