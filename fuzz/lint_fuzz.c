/*
 * lint_fuzz.c: libFuzzer target over the linter's entry point. Any input,
 * however malformed, must come back as findings, never as a crash, a hang
 * or a sanitizer report. Built and run by `make fuzz` (not part of make test).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strata.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    strata_lint_report r = STRATA_LINT_REPORT_INIT;
    char *sql = malloc(size + 1);
    if (!sql)
        return 0;
    memcpy(sql, data, size);
    sql[size] = '\0';
    strata_lint_sql(&r, sql, "fuzz.sql");
    strata_lint_report_dispose(&r);
    free(sql);
    return 0;
}
