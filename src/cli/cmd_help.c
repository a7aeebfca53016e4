/* cmd_help.c: strata help [COMMAND] and strata version. */
#include "cli.h"

int cmd_help(cli_ctx *ctx)
{
    const cli_cmd *cmd = NULL;
    if (ctx->nargs == 1 && !(cmd = cli_find(ctx->args[0]))) {
        fprintf(stderr, "strata: unknown command '%s'\n", ctx->args[0]);
        return CLI_EXIT_USAGE;
    }
    cli_help(stdout, cmd);
    return CLI_EXIT_OK;
}

int cmd_version(cli_ctx *ctx)
{
    (void)ctx;
    printf("strata %s\n", strata_version());
    return CLI_EXIT_OK;
}
