/*
 * main.c: strata's entry point: global options, the command table, and
 * dispatch. Each command lives in its own cmd_<name>.c.
 */
#include <malloc.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"

static const cli_opt migrate_opts[] = {
    { "allow-changed", 0, NULL, "go on although an applied migration's file changed" },
    { "allow-missing", 0, NULL, "go on although an applied migration's file is gone" },
    { "allow-out-of-order", 0, NULL, "apply pending versions older than the newest applied one" },
    { "dry-run", 'n', NULL, "print the plan (with SQL) and change nothing" },
    { "lock-mode", 0, "MODE", "session (advisory lock, default) or table (a row lock per step: PgBouncer)" },
    { "lock-retries", 0, "N", "retry a migration that gave way on --lock-timeout N times (backoff)" },
    { "lock-timeout", 0, "DUR", "DDL gives way after waiting this long for a table lock" },
    { "lock-wait", 0, "DUR", "wait this long for another runner's lock (default 10m)" },
    { "no-hooks", 0, NULL, "skip [hooks] commands and callbacks/*.sql" },
    { "no-lint", 0, NULL, "do not lint the pending migrations first (recorded in history)" },
    { "single-transaction", '1', NULL, "all pending migrations in one transaction: all or nothing" },
    { "statement-timeout", 0, "DUR", "cancel any statement running longer (-- strata:timeout wins)" },
    { "to", 't', "VERSION", "apply up to and including this version" },
};
static const cli_opt plan_opts[] = {
    { "allow-changed", 0, NULL, "plan although an applied migration's file changed" },
    { "allow-missing", 0, NULL, "plan although an applied migration's file is gone" },
    { "allow-out-of-order", 0, NULL, "include pending versions older than the newest applied" },
    { "to", 't', "VERSION", "plan up to and including this version" },
};
static const cli_opt down_opts[] = {
    { "dry-run", 'n', NULL, "print what would be undone (with SQL) and change nothing" },
    { "lock-mode", 0, "MODE", "session (advisory lock, default) or table (a row lock per step: PgBouncer)" },
    { "lock-retries", 0, "N", "retry a step that gave way on --lock-timeout N times (backoff)" },
    { "lock-timeout", 0, "DUR", "DDL gives way after waiting this long for a table lock" },
    { "lock-wait", 0, "DUR", "wait this long for another runner's lock (default 10m)" },
    { "statement-timeout", 0, "DUR", "cancel any statement running longer" },
    { "steps", 's', "N", "undo the newest N applied migrations (default 1)" },
    { "to", 't', "VERSION", "undo every applied migration newer than VERSION" },
};
static const cli_opt new_opts[] = {
    { "repeatable", 'r', NULL, "create a repeatable migration (re-runs when it changes)" },
};
static const cli_opt baseline_opts[] = {
    { "description", 'd', "TEXT", "what the baseline stands for (default: baseline)" },
};
static const cli_opt lint_opts[] = {
    { "format", 'f', "FMT", "text (default), json, or github (workflow annotations)" },
    { "pending", 'p', NULL, "lint the migrations migrate would apply, in order" },
    { "rules", 0, NULL, "list the rules with their ids and default severities" },
};
static const cli_opt wait_opts[] = {
    { "for-version", 'V', "VERSION", "also wait until the schema has reached VERSION" },
};
static const cli_opt inspect_opts[] = {
    { "schema", 0, "LIST", "only these schemas, comma-separated (PostgreSQL)" },
};
static const cli_opt diff_opts[] = {
    { "allow-destructive", 0, NULL, "allow dropping tables, columns, types and data-losing type changes" },
    { "dev-url", 0, "URL", "an empty scratch database for SQL sides (default: a temporary one on the server)" },
    { "down", 0, NULL, "print the reverse script (TO back to FROM)" },
    { "exit-code", 0, NULL, "exit 1 when there are differences" },
    { "rename", 0, "OLD=NEW", "a rename, not a drop and add: public.users=customers, public.users.name=full_name" },
    { "schema", 0, "LIST", "only these schemas, comma-separated (PostgreSQL)" },
};
static const cli_opt drift_opts[] = {
    { "dev-url", 0, "URL", "an empty scratch database to replay the history on" },
    { "schema", 0, "LIST", "only these schemas, comma-separated (PostgreSQL)" },
};
static const cli_opt generate_opts[] = {
    { "allow-destructive", 0, NULL, "allow dropping tables, columns, types and data-losing type changes" },
    { "desired", 'd', "PATH", "the desired schema: a folder or file of .sql / .json (default: schema)" },
    { "dev-url", 0, "URL", "an empty scratch database (default: a temporary one on the server)" },
    { "schema", 0, "LIST", "only these schemas, comma-separated (PostgreSQL)" },
};
static const cli_opt repair_opts[] = {
    { "dry-run", 'n', NULL, "show what repair would change, change nothing" },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

const cli_cmd cli_cmds[] = {
    { "init", cmd_init, "create strata.conf and migrations/", "strata init [DIR]",
      "Scaffold a project in DIR (default: the current folder): strata.conf and a migrations/\n"
      "folder with repeatable/. Files that exist are left alone.",
      NULL, 0, 1 },
    { "new", cmd_new, "create the next migration file", "strata new NAME [--repeatable]",
      "Create the next migration file named NAME in the folder's own format (native:\n"
      "NNNN_name.sql with -- strata:up and -- strata:down sections).",
      new_opts, N(new_opts), 1 },
    { "status", cmd_status, "show every migration and its state", "strata status [--json]",
      "One row per migration: applied, pending, failed, changed (file edited after it was\n"
      "applied), missing (applied, file gone), out-of-order, below-baseline, ignored (other env),\n"
      "outdated (repeatable changed). Reads only; creates nothing.",
      NULL, 0, 0 },
    { "migrate", cmd_migrate, "apply pending migrations (alias: up)",
      "strata migrate [--to V] [--dry-run] [options]",
      "Apply pending versioned migrations in order, then new or changed repeatables. Each\n"
      "migration and its history row commit in one transaction; a failing migration is rolled\n"
      "back and reported with its file and line. Refuses, before anything runs, when an applied\n"
      "file changed or is gone, a step failed earlier, or a pending version is out of order,\n"
      "and (PostgreSQL) when 'strata lint' finds an error in what would run (--no-lint).",
      migrate_opts, N(migrate_opts), 0 },
    { "up", cmd_migrate, "alias of migrate", "strata up [--to V] [--dry-run] [options]",
      "Alias of 'strata migrate'.", migrate_opts, N(migrate_opts), 0 },
    { "down", cmd_down, "undo applied migrations with their down scripts",
      "strata down [--steps N | --to V] [--dry-run]",
      "Undo the newest applied migration (or N, or all newer than V) using its down script,\n"
      "newest first, each in its own transaction. Refuses if any of them has no down script.",
      down_opts, N(down_opts), 0 },
    { "plan", cmd_plan, "print the SQL migrate would run, and why", "strata plan [--to V] [--json]",
      "Print exactly the SQL that 'strata migrate' would run, step by step, with the reason for\n"
      "each step. Changes nothing.",
      plan_opts, N(plan_opts), 0 },
    { "baseline", cmd_baseline, "adopt an existing database at a version",
      "strata baseline VERSION [--description TEXT]",
      "Record that the database already is at VERSION: migrations up to it count as applied.\n"
      "Only for a database with no strata history. Written to the audit log.",
      baseline_opts, N(baseline_opts), 1 },
    { "repair", cmd_repair, "realign history after a manual fix", "strata repair [--dry-run]",
      "Drop failed attempts from the history, store the new checksum of changed files, and\n"
      "forget applied migrations whose files are gone. Every action goes to the audit log.",
      repair_opts, N(repair_opts), 0 },
    { "verify", cmd_verify, "check applied migrations against their files", "strata verify [--json]",
      "Compare the checksum of every applied migration with its file. Exit 1 when any file\n"
      "changed, is missing, or a step failed.",
      NULL, 0, 0 },
    { "lint", cmd_lint, "check migrations for danger and house policy",
      "strata lint [FILES... | --pending] [--format text|json|github]",
      "Parse migrations with PostgreSQL's parser and report operations that lock or rewrite\n"
      "tables, changes that break the running application, and policy (primary keys,\n"
      "timestamps, naming, types). FILES are migration files in any format or JSON table\n"
      "definitions; without FILES, every migration in the folder. Exit 1 when a rule of\n"
      "severity error fires. Silence one with '-- strata:lint-ignore RULE reason' before the\n"
      "statement, or '-- strata:lint-ignore-file RULE reason' at the top; set severities in\n"
      "[lint] of strata.conf (SL106 = warning, index_name = idx_{table}_{columns}).",
      lint_opts, N(lint_opts), 64 },
    { "inspect", cmd_inspect, "print the live schema as SQL (or --json)",
      "strata inspect [--json] [--schema LIST]",
      "Print the database's schema as SQL that creates it from nothing, in dependency order,\n"
      "normalized: the same schema always prints the same bytes. PostgreSQL: schemas,\n"
      "extensions, types, sequences, tables, partitions, constraints, indexes, views,\n"
      "materialized views, functions, triggers, row-level security and comments; system and\n"
      "extension-owned objects and strata's own tables are left out. SQLite: sqlite_schema.",
      inspect_opts, N(inspect_opts), 0 },
    { "diff", cmd_diff, "SQL that turns one schema into another",
      "strata diff FROM TO [--down] [--json] [--allow-destructive] [--rename OLD=NEW]",
      "Each side is a database URL, a migrations folder, or a desired-schema folder or file\n"
      "(.sql files, .json table definitions). SQL sides run on a scratch database (--dev-url, or\n"
      "a temporary database on the project's server; SQLite: a temporary file), so the database\n"
      "itself parses them. Prints the changes in dependency order, each marked when it drops and\n"
      "recreates or loses data; --down prints the reverse. Destructive changes are refused (exit\n"
      "7) without --allow-destructive.",
      diff_opts, N(diff_opts), 2 },
    { "drift", cmd_drift, "compare the database with what its migration history produces",
      "strata drift [--json] [--dev-url URL]",
      "Replay the applied migrations on a scratch database, inspect both, and print the SQL that\n"
      "takes the history's schema to the live one. Exit 0 when identical, 1 on drift.",
      drift_opts, N(drift_opts), 0 },
    { "generate", cmd_generate, "write the migration that reaches the desired schema",
      "strata generate NAME [--desired PATH] [--allow-destructive]",
      "Diff the migrations folder's head (replayed on a scratch database) against the desired\n"
      "schema (default: the schema/ folder) and write the next migration, with up and down, in\n"
      "the folder's format. Refuses to write an empty migration; destructive steps are marked in\n"
      "comments and need --allow-destructive.",
      generate_opts, N(generate_opts), 1 },
    { "wait", cmd_wait, "wait for the database (and a schema version)",
      "strata wait [--for-version V] [--wait DUR]",
      "Exit 0 once the database answers and, with --for-version, once its schema has reached\n"
      "VERSION (an application container waiting for its migrations). Waits --wait (default\n"
      "60s); exit 4 if the database never answered, 6 if the version was not reached in time.\n"
      "Needs no migrations folder.",
      wait_opts, N(wait_opts), 0 },
    { "help", cmd_help, "show help for strata or a command", "strata help [COMMAND]",
      "Show the list of commands, or one command's options.", NULL, 0, 1 },
    { "version", cmd_version, "print strata's version", "strata version", "Print the version.",
      NULL, 0, 0 },
};
const size_t cli_ncmds = N(cli_cmds);

const cli_cmd *cli_find(const char *name)
{
    for (size_t i = 0; i < cli_ncmds; i++)
        if (strcmp(cli_cmds[i].name, name) == 0)
            return &cli_cmds[i];
    return NULL;
}

/*
 * SIGINT/SIGTERM: ask the library to stop (cancel the statement, roll the
 * step back, release the lock). A second signal ends the process at once.
 */
static void on_signal(int sig)
{
    (void)sig;
    strata_interrupt();
}

static void install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

int main(int argc, char **argv)
{
    cli_ctx ctx;
    const cli_cmd *cmd;
    int i, r;

    install_signals();
    /* one command, then exit: keep freed memory for reuse rather than hand it
     * back to the kernel piece by piece (those trims at the final frees cost
     * a 1,000-migration no-op ~2 ms), and serve big blocks from the heap too */
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    /* reports can be long: write them in big blocks; progress lines flush themselves */
    if (!isatty(STDOUT_FILENO))
        setvbuf(stdout, NULL, _IOFBF, 1 << 16);
    memset(&ctx, 0, sizeof(ctx));
    {
        const char *nc = getenv("NO_COLOR");
        int no_color = nc && *nc;
        ctx.color = !no_color && isatty(STDOUT_FILENO);
        ctx.color_err = !no_color && isatty(STDERR_FILENO);
    }
    if (argc >= 2 && strcmp(argv[1], "--version") == 0)
        return cmd_version(&ctx);
    i = cli_parse(&ctx, NULL, argc, argv, 1);
    if (i == -1)
        return CLI_EXIT_OK;      /* --help */
    if (i < 0)
        return CLI_EXIT_USAGE;
    if (i >= argc) {
        cli_help(stderr, NULL);
        return CLI_EXIT_USAGE;
    }
    if (!(cmd = cli_find(argv[i]))) {
        strata_buf red = STRATA_BUF_INIT;
        strata_url_redact(&red, argv[i]);  /* a URL typed without --url: hide its password */
        fprintf(stderr, "strata: unknown command '%s'\nrun 'strata --help' for the list\n", red.ptr);
        strata_buf_dispose(&red);
        return CLI_EXIT_USAGE;
    }
    r = cli_parse(&ctx, cmd, argc, argv, i + 1);
    if (r == -1)
        return CLI_EXIT_OK;
    if (r < 0)
        return CLI_EXIT_USAGE;
    if (ctx.json)
        ctx.color = 0;
    return cmd->fn(&ctx);
}
