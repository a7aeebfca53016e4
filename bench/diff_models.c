/*
 * bench/diff_models.c: how long the model diff itself takes, apart from the
 * two inspections that `strata diff URL_A URL_B` also does. Built by
 * bench/run.sh against build/libstrata.a, through the public API only.
 *
 *   diff_models URL_A URL_B RUNS
 *
 * Loads both models once (each load timed), then diffs A against B RUNS times
 * and renders the script each time (the diff as `strata diff` prints it).
 * Prints one line per phase, "phase ms ms ms ...", for run.sh to take medians
 * of, then "changes N" and "peak_rss_kib N" (after the diffs, both models live).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>
#include <strata.h>

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int fail(const char *what)
{
    const strata_error *e = strata_error_last();
    fprintf(stderr, "diff_models: %s: %s\n", what, e && e->message ? e->message : "failed");
    return 1;
}

int main(int argc, char **argv)
{
    strata_options po = STRATA_OPTIONS_INIT;
    strata_schema_options so = STRATA_SCHEMA_OPTIONS_INIT;
    strata_project *p = NULL;
    strata_schema *a = NULL, *b = NULL;
    struct rusage ru;
    size_t changes = 0;
    double t0;
    int runs;

    if (argc != 4 || (runs = (int)strtol(argv[3], NULL, 10)) < 1) {
        fprintf(stderr, "usage: diff_models URL_A URL_B RUNS\n");
        return 2;
    }
    po.url = argv[1];
    po.no_env = 1;
    so.allow_destructive = 1;
    if (strata_project_open(&p, &po) < 0)
        return fail("project");
    t0 = now_ms();
    if (strata_schema_load(&a, p, argv[1], &so) < 0)
        return fail("load A");
    printf("load_a %.1f\n", now_ms() - t0);
    t0 = now_ms();
    if (strata_schema_load(&b, p, argv[2], &so) < 0)
        return fail("load B");
    printf("load_b %.1f\n", now_ms() - t0);

    printf("diff");
    for (int r = 0; r < runs; r++) {
        strata_diff d = STRATA_DIFF_INIT;
        strata_buf sql = STRATA_BUF_INIT;
        t0 = now_ms();
        if (strata_schema_diff(&d, a, b, &so) < 0 || strata_diff_sql(&sql, &d, 0) < 0)
            return fail("diff");
        printf(" %.1f", now_ms() - t0);
        changes = d.count;
        strata_buf_dispose(&sql);
        strata_diff_dispose(&d);
    }
    printf("\nchanges %zu\n", changes);
    getrusage(RUSAGE_SELF, &ru);
    printf("peak_rss_kib %ld\n", ru.ru_maxrss);
    strata_schema_free(a);
    strata_schema_free(b);
    strata_project_free(p);
    return 0;
}
