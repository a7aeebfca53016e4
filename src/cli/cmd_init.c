/* cmd_init.c: strata init [DIR]: scaffold strata.conf and migrations/. */
#include "cli.h"

int cmd_init(cli_ctx *ctx)
{
    strata_buf out = STRATA_BUF_INIT;
    const char *dir = ctx->nargs ? ctx->args[0] : ctx->dir ? ctx->dir : ".";
    int error = strata_project_init(&out, dir);
    if (error < 0) {
        strata_buf_dispose(&out);
        return cli_fail(ctx, error);
    }
    if (!ctx->quiet) {
        fputs(strata_buf_cstr(&out), stdout);
        printf("next: strata new create_first_table, edit it, then strata migrate\n");
    }
    strata_buf_dispose(&out);
    return CLI_EXIT_OK;
}
