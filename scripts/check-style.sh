#!/usr/bin/env bash
# scripts/check-style.sh: the rules a compiler cannot check (curl's checksrc idea).
#  - banned functions: strcpy, strcat, sprintf, vsprintf, atoi, strtok, system, gets;
#  - getenv only in src/lib/core/project.c (the library's one config reader) and
#    src/cli/main.c (NO_COLOR);
#  - module boundaries: only src/lib/driver/pg includes libpq, only
#    src/lib/driver/sqlite includes sqlite3.h, only src/lib/sql/split.c includes
#    libpg_query, only src/cli/output.c, src/lib/lint/ and src/lib/json/ include jansson; the CLI includes only
#    public headers and src/util.
set -euo pipefail
cd "$(dirname "$0")/.."

bad=0
report() { echo "check-style: $*" >&2; bad=1; }

files=$(find src -name '*.[ch]' | sort)

# banned calls (word boundary, followed by "(")
while IFS= read -r hit; do
    report "banned function: $hit"
done < <(grep -nE '(^|[^a-zA-Z0-9_])(strcpy|strcat|sprintf|vsprintf|atoi|atol|strtok|system|gets)[[:space:]]*\(' $files \
         | grep -vE '(snprintf|vsnprintf|strtok_r)[[:space:]]*\(' | grep -vE '^[^:]+:[0-9]+:\s*(/?\*|//)' || true)

while IFS= read -r hit; do
    report "getenv outside core/project.c and cli/main.c: $hit"
done < <(grep -nE '\bgetenv[[:space:]]*\(' $files | grep -vE '^src/lib/core/project.c:|^src/cli/main.c:' || true)

only() {  # only PATTERN-OF-INCLUDE ALLOWED-PATH-REGEX
    while IFS= read -r hit; do
        report "$1 included outside $2: $hit"
    done < <(grep -nE "#include[[:space:]]*[<\"]$1" $files | grep -vE "^$2" || true)
}
only 'libpq-fe.h' 'src/lib/driver/pg/'
only 'sqlite3.h' 'src/lib/driver/sqlite/'
only 'pg_query' 'src/lib/sql/split.c'
only 'jansson.h' '(src/cli/output.c|src/lib/lint/|src/lib/json/)'
only 'ini.h' 'src/lib/core/project.c'

while IFS= read -r hit; do
    report "the CLI may include only cli.h, strata.h and util/util.h: $hit"
done < <(grep -nE '#include[[:space:]]*"' src/cli/*.[ch] | grep -vE '"(cli\.h|strata\.h|util/util\.h)"' || true)

[ "$bad" -eq 0 ] && echo "check-style: ok"
exit "$bad"
