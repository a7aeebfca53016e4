/*
 * cmd_schema.c: strata inspect, diff, drift and generate: the schema as data.
 * Each is one library call (strata/schema.h) and a rendering: SQL by default,
 * JSON with --json.
 */
#include <string.h>
#include "cli.h"

#define LIST_MAX 64

/* "a,b,c" into list (pointers into *copy, which the caller frees); empty items
 * are skipped. More than LIST_MAX items is a usage error naming the option. */
static int split_list(const cli_ctx *ctx, const char *option, char **copy, const char **list, size_t *count)
{
    const char *v = cli_value(ctx, option);
    char *save = NULL;
    *copy = NULL;
    *count = 0;
    if (!v || !*v)
        return 0;
    if (!(*copy = strata__strdup(v)))
        return -1;
    for (char *s = strtok_r(*copy, ",", &save); s; s = strtok_r(NULL, ",", &save)) {
        if (*count == LIST_MAX)
            return cli_usage_error(NULL, "--%s takes at most %d names", option, LIST_MAX), -1;
        list[(*count)++] = s;
    }
    return 0;
}

/* --schema a,b,c into the options */
static int schema_filter(const cli_ctx *ctx, strata_schema_options *o, char **copy, const char **list)
{
    if (split_list(ctx, "schema", copy, list, &o->schemas_count) < 0)
        return -1;
    o->schemas = list;
    return 0;
}

static void common_options(const cli_ctx *ctx, strata_schema_options *o)
{
    o->dev_url = cli_value(ctx, "dev-url");
    o->allow_destructive = cli_flag(ctx, "allow-destructive");
}

int cmd_inspect(cli_ctx *ctx)
{
    strata_project *p = NULL;
    strata_schema *m = NULL;
    strata_schema_options o = STRATA_SCHEMA_OPTIONS_INIT;
    strata_buf out = STRATA_BUF_INIT;
    const char *list[LIST_MAX];
    char *copy = NULL;
    int error;

    if ((error = cli_open_project(&p, ctx)) < 0)
        return cli_fail(ctx, error);
    if (schema_filter(ctx, &o, &copy, list) < 0) {
        strata_project_free(p);
        free(copy);
        return CLI_EXIT_USAGE;
    }
    if ((error = strata_schema_inspect(&m, p, &o)) == 0)
        error = ctx->json ? strata_schema_json(&out, m) : strata_schema_sql(&out, m);
    if (!error)
        fputs(strata_buf_cstr(&out), stdout);
    strata_buf_dispose(&out);
    strata_schema_free(m);
    strata_project_free(p);
    free(copy);
    return error < 0 ? cli_fail(ctx, error) : CLI_EXIT_OK;
}

static void print_diff(const cli_ctx *ctx, const strata_diff *d, int down)
{
    strata_buf out = STRATA_BUF_INIT;
    if (ctx->json)
        strata_diff_json(&out, d);
    else
        strata_diff_sql(&out, d, down);
    fputs(strata_buf_cstr(&out), stdout);
    strata_buf_dispose(&out);
}

int cmd_diff(cli_ctx *ctx)
{
    strata_project *p = NULL;
    strata_schema *from = NULL, *to = NULL;
    strata_schema_options o = STRATA_SCHEMA_OPTIONS_INIT;
    strata_diff d = STRATA_DIFF_INIT;
    const char *list[LIST_MAX], *renames[LIST_MAX];
    char *copy = NULL, *rcopy = NULL;
    int error;

    if (ctx->nargs != 2)
        return cli_usage_error(cli_find("diff"), "diff takes two sides: FROM and TO"), CLI_EXIT_USAGE;
    if ((error = cli_open_project(&p, ctx)) < 0)
        return cli_fail(ctx, error);
    common_options(ctx, &o);
    if (schema_filter(ctx, &o, &copy, list) < 0 || split_list(ctx, "rename", &rcopy, renames, &o.renames_count) < 0) {
        error = CLI_EXIT_USAGE;
        goto done;
    }
    o.renames = renames;
    if ((error = strata_schema_load_pair(&from, &to, p, ctx->args[0], ctx->args[1], &o)) < 0)
        goto done;
    error = strata_schema_diff(&d, from, to, &o);
    if (error == STRATA_EREFUSED && ctx->json)
        print_diff(ctx, &d, 0);
    if (error < 0)
        goto done;
    print_diff(ctx, &d, cli_flag(ctx, "down"));
    if (cli_flag(ctx, "exit-code") && d.count)
        error = 1;
done:
    strata_diff_dispose(&d);
    strata_schema_free(from);
    strata_schema_free(to);
    strata_project_free(p);
    free(copy);
    free(rcopy);
    if (error == CLI_EXIT_USAGE || error == 1)
        return error == 1 ? CLI_EXIT_FINDING : CLI_EXIT_USAGE;
    return error < 0 ? cli_fail(ctx, error) : CLI_EXIT_OK;
}

int cmd_drift(cli_ctx *ctx)
{
    strata_project *p = NULL;
    strata_schema_options o = STRATA_SCHEMA_OPTIONS_INIT;
    strata_diff d = STRATA_DIFF_INIT;
    const char *list[LIST_MAX];
    char *copy = NULL;
    int error;

    if ((error = cli_open_project(&p, ctx)) < 0)
        return cli_fail(ctx, error);
    common_options(ctx, &o);
    if (schema_filter(ctx, &o, &copy, list) < 0) {
        strata_project_free(p);
        free(copy);
        return CLI_EXIT_USAGE;
    }
    if ((error = strata_drift(&d, p, &o)) == 0) {
        if (ctx->json) {
            print_diff(ctx, &d, 0);
        } else if (d.count) {
            fprintf(stderr, "drift: %zu difference%s between the database and its migration history; "
                            "this SQL takes the history's schema to the live one:\n",
                    d.count, d.count == 1 ? "" : "s");
            print_diff(ctx, &d, 0);
        } else if (!ctx->quiet) {
            printf("no drift: the database matches what its applied migrations (%s) produce\n",
                   strata_project_migrations_dir(p));
        }
    }
    strata_project_free(p);
    free(copy);
    if (error < 0) {
        strata_diff_dispose(&d);
        return cli_fail(ctx, error);
    }
    error = d.count ? CLI_EXIT_FINDING : CLI_EXIT_OK;
    strata_diff_dispose(&d);
    return error;
}

int cmd_generate(cli_ctx *ctx)
{
    strata_project *p = NULL;
    strata_schema_options o = STRATA_SCHEMA_OPTIONS_INIT;
    strata_diff d = STRATA_DIFF_INIT;
    strata_buf path = STRATA_BUF_INIT;
    const char *desired = cli_value(ctx, "desired");
    const char *list[LIST_MAX];
    char *copy = NULL;
    int error;

    if (ctx->nargs != 1)
        return cli_usage_error(cli_find("generate"), "generate takes the new migration's NAME"), CLI_EXIT_USAGE;
    if ((error = cli_open_project(&p, ctx)) < 0)
        return cli_fail(ctx, error);
    common_options(ctx, &o);
    if (schema_filter(ctx, &o, &copy, list) < 0) {
        strata_project_free(p);
        free(copy);
        return CLI_EXIT_USAGE;
    }
    error = strata_generate(&path, &d, p, ctx->args[0], desired ? desired : "schema", &o);
    if (error == STRATA_EREFUSED)
        print_diff(ctx, &d, 0);
    if (!error) {
        fputs(strata_buf_cstr(&path), stdout);
        if (!ctx->quiet)
            fprintf(stderr, "%zu change%s%s\n", d.count, d.count == 1 ? "" : "s",
                    d.destructive ? " (destructive ones are marked in the file)" : "");
    }
    strata_diff_dispose(&d);
    strata_buf_dispose(&path);
    strata_project_free(p);
    free(copy);
    return error < 0 ? cli_fail(ctx, error) : CLI_EXIT_OK;
}
