/*
 * exitcode.c: the only place library error codes become exit codes.
 * Scripts depend on these numbers; the README documents them.
 */
#include "cli.h"

int cli_exit_code(int error)
{
    switch (error) {
    case STRATA_OK: return CLI_EXIT_OK;
    case STRATA_EDRIFT: return CLI_EXIT_FINDING;
    case STRATA_EINVALID:
    case STRATA_ENOTFOUND:
    case STRATA_EEXISTS: return CLI_EXIT_INPUT;
    case STRATA_ECONNECT: return CLI_EXIT_CONNECT;
    case STRATA_EFAILED: return CLI_EXIT_FAILED;
    case STRATA_ELOCKED: return CLI_EXIT_LOCKED;
    case STRATA_ECHECKSUM:
    case STRATA_EREFUSED: return CLI_EXIT_REFUSED;
    case STRATA_EUSER: return CLI_EXIT_FAILED;
    case STRATA_EINTERRUPTED: return CLI_EXIT_INTERRUPTED;
    default: return CLI_EXIT_INTERNAL;
    }
}
