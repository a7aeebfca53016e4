/*
 * project.c: resolving a project's configuration, and the two commands that
 * write files (init, new).
 *
 * Settings come from, in order of precedence: the options struct (the CLI's
 * flags), environment variables, strata.conf ([env "NAME"] over the plain
 * sections), and defaults. This is the only file of the library that reads
 * environment variables. Paths in strata.conf are relative to its folder;
 * paths given as options or in the environment are relative to the current
 * folder, as users expect of a flag.
 */
#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "../strata_int.h"

/* The keys strata.conf knows: section, key, and whether [env "NAME"] may set it. */
enum {
    K_URL, K_SCHEMA, K_SCHEMAS,                                   /* [database] */
    K_DIR, K_FORMAT, K_STATEMENT_TIMEOUT, K_LOCK_TIMEOUT,         /* [migrations] */
    K_LOCK_RETRIES, K_LOCK_WAIT, K_WAIT, K_LOCK_MODE,
    K_BEFORE_MIGRATE, K_AFTER_EACH, K_AFTER_MIGRATE, K_ON_ERROR,  /* [hooks] */
    K_COUNT
};

static const struct {
    const char *section;
    const char *key;
    int duration;             /* value must parse as a duration */
} conf_keys[K_COUNT] = {
    [K_URL] = { "database", "url", 0 },
    [K_SCHEMA] = { "database", "schema", 0 },
    [K_SCHEMAS] = { "database", "schemas", 0 },
    [K_DIR] = { "migrations", "dir", 0 },
    [K_FORMAT] = { "migrations", "format", 0 },
    [K_STATEMENT_TIMEOUT] = { "migrations", "statement_timeout", 1 },
    [K_LOCK_TIMEOUT] = { "migrations", "lock_timeout", 1 },
    [K_LOCK_RETRIES] = { "migrations", "lock_retries", 0 },
    [K_LOCK_WAIT] = { "migrations", "lock_wait", 1 },
    [K_WAIT] = { "migrations", "wait", 1 },
    [K_LOCK_MODE] = { "migrations", "lock_mode", 0 },
    [K_BEFORE_MIGRATE] = { "hooks", "before_migrate", 0 },
    [K_AFTER_EACH] = { "hooks", "after_each", 0 },
    [K_AFTER_MIGRATE] = { "hooks", "after_migrate", 0 },
    [K_ON_ERROR] = { "hooks", "on_error", 0 },
};

/* Values read from strata.conf, before precedence is applied. */
typedef struct {
    const char *want_env;     /* env whose section applies, or NULL */
    int env_seen;             /* that section exists */
    char *val[K_COUNT];       /* from the plain sections */
    char *env_val[K_COUNT];   /* from [env "want_env"] */
    char *bad;                /* first error, with its reason */
    strata_setting *lint;     /* [lint] key = value, in file order */
    size_t lint_count;
    size_t lint_cap;
} conf_values;

static int set_str(char **slot, const char *value)
{
    free(*slot);
    *slot = strata__strdup(value);
    return *slot != NULL;
}

/* The value in force: [env] over the plain section; NULL when unset. */
static const char *conf_get(const conf_values *c, int k)
{
    return c->env_val[k] ? c->env_val[k] : c->val[k];
}

static int conf_bad(conf_values *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int conf_bad(conf_values *c, const char *fmt, ...)
{
    va_list ap;
    free(c->bad);
    c->bad = NULL;
    va_start(ap, fmt);
    if (vasprintf(&c->bad, fmt, ap) < 0)
        c->bad = NULL;
    va_end(ap);
    return 0;  /* libinih: stop, report this line */
}

/* libinih callback: return 0 to stop with an error at this line. */
static int on_conf(void *user, const char *section, const char *name, const char *value)
{
    conf_values *c = user;
    int in_env = 0;
    char envname[128];

    if (strncmp(section, "env ", 4) == 0) {
        const char *q = section + 4;
        size_t n;
        while (*q == ' ')
            q++;
        if (*q == '"')
            q++;
        n = strcspn(q, "\"");
        if (n >= sizeof(envname))
            n = sizeof(envname) - 1;
        memcpy(envname, q, n);
        envname[n] = '\0';
        if (!c->want_env || strcmp(envname, c->want_env) != 0)
            return 1;  /* another env's section: not ours to read */
        c->env_seen = 1;
        in_env = 1;
    } else if (strcmp(section, "lint") == 0) {
        /* rule = error|warning|off, and naming patterns: checked by the linter,
         * which knows the rules */
        if (STRATA_ARRAY_GROW(c->lint, c->lint_count, c->lint_cap) < 0)
            return 0;
        c->lint[c->lint_count].key = strata__strdup(name);
        c->lint[c->lint_count].value = strata__strdup(value);
        if (!c->lint[c->lint_count].key || !c->lint[c->lint_count].value)
            return 0;
        c->lint_count++;
        return 1;
    } else if (strcmp(section, "database") != 0 && strcmp(section, "migrations") != 0 &&
               strcmp(section, "hooks") != 0) {
        return conf_bad(c, "unknown section [%s]; known: [database], [migrations], [hooks], "
                           "[lint], [env \"NAME\"]", section);
    }
    for (int k = 0; k < K_COUNT; k++) {
        if (strcmp(name, conf_keys[k].key) != 0)
            continue;
        if (in_env ? strcmp(conf_keys[k].section, "hooks") == 0
                   : strcmp(conf_keys[k].section, section) != 0)
            break;
        if (conf_keys[k].duration && strata_str_duration_ms(value) < 0)
            return conf_bad(c, "%s = %s is not a duration; write e.g. 30s, 5m, 1h, 250ms", name, value);
        if (k == K_LOCK_MODE && strcmp(value, "session") != 0 && strcmp(value, "table") != 0)
            return conf_bad(c, "lock_mode = %s: expected session or table", value);
        if (k == K_LOCK_RETRIES) {
            char *end;
            long n = strtol(value, &end, 10);
            if (*end || n < 0 || n > 1000)
                return conf_bad(c, "lock_retries = %s: expected a number from 0 to 1000", value);
        }
        return set_str(in_env ? &c->env_val[k] : &c->val[k], value);
    }
    return conf_bad(c, "unknown key '%s' in [%s]; [database] takes url, schema, schemas; "
                       "[migrations] takes dir, format, statement_timeout, lock_timeout, "
                       "lock_retries, lock_wait, lock_mode, wait; [hooks] takes before_migrate, after_each, "
                       "after_migrate, on_error; [env \"NAME\"] takes the [database] and "
                       "[migrations] keys", name, section);
}

static void conf_dispose(conf_values *c)
{
    for (int k = 0; k < K_COUNT; k++) {
        free(c->val[k]);
        free(c->env_val[k]);
    }
    for (size_t i = 0; i < c->lint_count; i++) {
        free(c->lint[i].key);
        free(c->lint[i].value);
    }
    free(c->lint);
    free(c->bad);
}

static const char *getenv_nonempty(const strata_options *o, const char *name)
{
    const char *v;
    if (o->no_env)
        return NULL;
    v = getenv(name);
    return v && *v ? v : NULL;
}

/* A sqlite URL's path made relative to "base" when it is relative. */
static char *resolve_sqlite(const char *url, const char *base)
{
    const char *path;
    strata_buf b = STRATA_BUF_INIT;
    char *r;

    if (strncmp(url, "sqlite:", 7) != 0 && strncmp(url, "sqlite3:", 8) != 0)
        return strata__strdup(url);
    path = strchr(url, ':') + 1;
    if (strncmp(path, "//", 2) == 0)
        path += 2;
    if (strata_path_isabs(path) || strcmp(path, ":memory:") == 0 || !base || strcmp(base, ".") == 0)
        return strata__strdup(url);
    strata_buf_printf(&b, "sqlite:%s/%s", base, path);
    r = strata__strdup(strata_buf_cstr(&b));
    strata_buf_dispose(&b);
    return r;
}

/*
 * A schema name as PostgreSQL reads it in SQL: unquoted names fold to lower
 * case (schemas = Financial is the schema financial that CREATE TABLE
 * Financial.x uses); "Quoted" ones keep their case. NULL when empty.
 */
static char *schema_name(const char *s, size_t n)
{
    char *name;
    if (n >= 2 && s[0] == '"' && s[n - 1] == '"')
        return n > 2 ? strata__strndup(s + 1, n - 2) : NULL;
    if (n == 0 || !(name = strata__strndup(s, n)))
        return NULL;
    for (char *c = name; *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c - 'A' + 'a');
    return name;
}

static int parse_schemas(strata_project *p, const char *list)
{
    const char *s = list;
    while (*s) {
        s += strspn(s, ", \t");
        size_t n = strcspn(s, ", \t");
        if (n) {
            if (STRATA_ARRAY_GROW(p->schemas, p->schemas_count, p->schemas_cap) < 0)
                return strata__error_oom();
            if (!(p->schemas[p->schemas_count] = schema_name(s, n)))
                return strata__error(STRATA_EINVALID, "config", "schemas: '%.*s' is not a schema name",
                                     (int)n, s);
            p->schemas_count++;
        }
        s += n;
    }
    return 0;
}

/*
 * libinih (as Debian builds it) reads lines of at most 199 bytes and would
 * misread a longer one as two: say so, naming the line.
 */
#define INI_LINE_LIMIT 199
static int check_line_lengths(const char *path)
{
    strata_buf text = STRATA_BUF_INIT;
    int line = 1, error = 0;
    if (strata_fs_read(&text, path) < 0) {
        strata_buf_dispose(&text);
        return 0;  /* ini_parse reports it */
    }
    for (const char *p = text.ptr; *p; line++) {
        const char *eol = strchr(p, '\n');
        size_t n = eol ? (size_t)(eol - p) : strlen(p);
        if (n > INI_LINE_LIMIT) {
            error = strata__error(STRATA_EINVALID, "config", "line %d is %zu bytes; lines may be at most %d",
                                  line, n, INI_LINE_LIMIT);
            strata__error_at(path, line, INI_LINE_LIMIT + 1);
            strata__error_hint("move a long hook command into a script and call that");
            break;
        }
        if (!eol)
            break;
        p = eol + 1;
    }
    strata_buf_dispose(&text);
    return error;
}

static char *dirname_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strata__strdup(".");
    if (slash == path)
        return strata__strdup("/");
    return strata__strndup(path, (size_t)(slash - path));
}

int strata_project_open(strata_project **out, const strata_options *opts)
{
    strata_options defaults = STRATA_OPTIONS_INIT;
    const strata_options *o = opts ? opts : &defaults;
    conf_values c;
    strata_project *p = NULL;
    strata_buf tmp = STRATA_BUF_INIT;
    const char *config_path, *v;
    int error = 0;

    strata_error_clear();
    memset(&c, 0, sizeof(c));
    *out = NULL;
    if (o->version != STRATA_OPTIONS_VERSION)
        return strata__error(STRATA_EINVALID, "config", "strata_options version %u not supported",
                             o->version);
    if (!(p = strata__calloc(1, sizeof(*p)))) {
        error = strata__error_oom();
        goto done;
    }

    /* which env, which config file, which project folder */
    v = o->env ? o->env : getenv_nonempty(o, "STRATA_ENV");
    if (v && !(p->env = strata__strdup(v))) {
        error = strata__error_oom();
        goto done;
    }
    config_path = o->config_path ? o->config_path : getenv_nonempty(o, "STRATA_CONFIG");
    if (config_path) {
        if (!strata_fs_isfile(config_path)) {
            error = strata__error(STRATA_ENOTFOUND, "config", "config file '%s' does not exist",
                                  config_path);
            strata__error_hint("run 'strata init' to create one, or fix --config");
            goto done;
        }
        p->config_path = strata__strdup(config_path);
    } else {
        strata_path_join(&tmp, o->dir ? o->dir : ".", "strata.conf");
        if (strata_fs_isfile(tmp.ptr))
            p->config_path = strata__strdup(tmp.ptr);
    }
    p->dir = o->dir ? strata__strdup(o->dir)
                    : p->config_path ? dirname_of(p->config_path) : strata__strdup(".");
    if (!p->dir) {
        error = strata__error_oom();
        goto done;
    }

    /* strata.conf */
    c.want_env = p->env;
    if (p->config_path && (error = check_line_lengths(p->config_path)) < 0)
        goto done;
    if (p->config_path) {
        int line = ini_parse(p->config_path, on_conf, &c);
        if (line != 0) {
            if (line < 0)
                error = strata__error(STRATA_EINVALID, "config", "cannot read %s: %s",
                                      p->config_path, strerror(errno));
            else
                error = strata__error(STRATA_EINVALID, "config", "%s",
                                      c.bad ? c.bad : "not valid INI (expected key = value or [section])");
            strata__error_at(p->config_path, line > 0 ? line : 0, 0);
            strata__error_hint("see the configuration reference in the README");
            goto done;
        }
    }
    if (p->env && !c.env_seen && !(o->url || getenv_nonempty(o, "DATABASE_URL"))) {
        error = strata__error(STRATA_ENOTFOUND, "config", "no [env \"%s\"] section in %s", p->env,
                              p->config_path ? p->config_path : "strata.conf (there is none)");
        strata__error_hint("add [env \"%s\"] with url = ... to strata.conf, or set DATABASE_URL",
                           p->env);
        goto done;
    }

    /* database URL: flag > DATABASE_URL > [env] > [database] > sqlite:strata.db */
    if (o->url)
        p->url = strata__strdup(o->url);
    else if ((v = getenv_nonempty(o, "DATABASE_URL")))
        p->url = strata__strdup(v);
    else if (conf_get(&c, K_URL))
        p->url = resolve_sqlite(conf_get(&c, K_URL), p->dir);
    else {
        strata_buf_clear(&tmp);
        strata_buf_puts(&tmp, "sqlite:");
        if (strcmp(p->dir, ".") != 0)
            strata_buf_printf(&tmp, "%s/", p->dir);
        strata_buf_puts(&tmp, "strata.db");
        p->url = strata__strdup(strata_buf_cstr(&tmp));
    }
    if (!p->url) {
        error = strata__error_oom();
        goto done;
    }
    strata_buf_clear(&tmp);
    strata_url_redact(&tmp, p->url);
    p->url_redacted = strata__strdup(strata_buf_cstr(&tmp));

    /* migrations folder and format */
    if (o->migrations_dir)
        p->migrations_dir = strata__strdup(o->migrations_dir);
    else if ((v = getenv_nonempty(o, "STRATA_MIGRATIONS_DIR")))
        p->migrations_dir = strata__strdup(v);
    else {
        strata_buf_clear(&tmp);
        strata_path_join(&tmp, p->dir, conf_get(&c, K_DIR) ? conf_get(&c, K_DIR) : "migrations");
        p->migrations_dir = strata__strdup(tmp.ptr);
    }
    v = o->format ? o->format : conf_get(&c, K_FORMAT);
    if (v && (error = strata_format_parse(&p->format, v)) < 0)
        goto done;

    v = o->history_schema ? o->history_schema : conf_get(&c, K_SCHEMA);
    p->history_schema = v ? schema_name(v, strlen(v)) : strata__strdup("strata");
    if (!p->history_schema) {
        error = strata__error(STRATA_EINVALID, "config", "schema = '%s' is not a schema name", v ? v : "");
        goto done;
    }
    v = conf_get(&c, K_SCHEMAS);
    if (v && (error = parse_schemas(p, v)) < 0)
        goto done;
    /* run settings; the run's own options (flags) override these */
    p->statement_timeout_ms = conf_get(&c, K_STATEMENT_TIMEOUT)
                                  ? strata_str_duration_ms(conf_get(&c, K_STATEMENT_TIMEOUT)) : 0;
    p->lock_timeout_ms = conf_get(&c, K_LOCK_TIMEOUT)
                             ? strata_str_duration_ms(conf_get(&c, K_LOCK_TIMEOUT)) : 0;
    p->lock_retries = conf_get(&c, K_LOCK_RETRIES) ? (int)strtol(conf_get(&c, K_LOCK_RETRIES), NULL, 10)
                                                   : 0;
    p->lock_mode = conf_get(&c, K_LOCK_MODE) && strcmp(conf_get(&c, K_LOCK_MODE), "table") == 0
                       ? STRATA_LOCK_TABLE : STRATA_LOCK_SESSION;
    p->lock_wait_ms = conf_get(&c, K_LOCK_WAIT) ? strata_str_duration_ms(conf_get(&c, K_LOCK_WAIT)) : -1;
    v = getenv_nonempty(o, "STRATA_WAIT");
    if (v && strata_str_duration_ms(v) < 0) {
        error = strata__error(STRATA_EINVALID, "config", "STRATA_WAIT=%s is not a duration", v);
        strata__error_hint("write e.g. STRATA_WAIT=60s");
        goto done;
    }
    p->connect_wait_ms = o->connect_wait_ms > 0 ? o->connect_wait_ms
                         : v ? strata_str_duration_ms(v)
                           : conf_get(&c, K_WAIT) ? strata_str_duration_ms(conf_get(&c, K_WAIT)) : 0;
    for (int k = K_BEFORE_MIGRATE; k <= K_ON_ERROR; k++)
        if (conf_get(&c, k) && *conf_get(&c, k) &&
            !(p->hooks[k - K_BEFORE_MIGRATE] = strata__strdup(conf_get(&c, k)))) {
            error = strata__error_oom();
            goto done;
        }
    /* [lint]: handed over as read */
    p->lint = c.lint;
    p->lint_count = c.lint_count;
    c.lint = NULL;
    c.lint_count = 0;
    if (!p->url_redacted || !p->migrations_dir || !p->history_schema) {
        error = strata__error_oom();
        goto done;
    }

done:
    conf_dispose(&c);
    strata_buf_dispose(&tmp);
    if (error < 0) {
        strata_project_free(p);
        return error;
    }
    *out = p;
    return 0;
}

void strata_project_free(strata_project *p)
{
    if (!p)
        return;
    if (p->url) {
        explicit_bzero(p->url, strlen(p->url));
        free(p->url);
    }
    free(p->url_redacted);
    free(p->dir);
    free(p->config_path);
    free(p->env);
    free(p->migrations_dir);
    free(p->history_schema);
    for (size_t i = 0; i < p->schemas_count; i++)
        free(p->schemas[i]);
    free(p->schemas);
    for (int i = 0; i < STRATA_HOOK_COUNT; i++)
        free(p->hooks[i]);
    for (size_t i = 0; i < p->lint_count; i++) {
        free(p->lint[i].key);
        free(p->lint[i].value);
    }
    free(p->lint);
    strata_source_free(p->source);
    free(p);
}

const char *strata_project_url_redacted(const strata_project *p) { return p->url_redacted; }
const char *strata_project_migrations_dir(const strata_project *p) { return p->migrations_dir; }
const char *strata_project_env(const strata_project *p) { return p->env; }
const char *strata_project_dir(const strata_project *p) { return p->dir; }

int strata_project_source(const strata_source **out, strata_project *p)
{
    int error;
    if (!p->source && (error = strata_source_load(&p->source, p->migrations_dir, p->format)) < 0)
        return error;
    *out = p->source;
    return 0;
}

/* ---- init ---------------------------------------------------------------- */

static const char conf_template[] =
    "# strata.conf: see the configuration reference in strata's README.\n"
    "# Precedence: command-line flags > environment (DATABASE_URL) > this file > defaults.\n"
    "\n"
    "[database]\n"
    "# The default is a SQLite file beside this file; for PostgreSQL use e.g.\n"
    "# url = postgres://app@localhost:5432/app\n"
    "url = sqlite:strata.db\n"
    "# schema = strata                    ; PostgreSQL schema for strata's own tables\n"
    "# schemas = financial, tagging       ; schemas created before the first migration\n"
    "\n"
    "[migrations]\n"
    "dir = migrations\n"
    "# format = auto                      ; native, seed, flyway, golang-migrate, dbmate, diesel\n"
    "\n"
    "# [env \"prod\"]\n"
    "# url = postgres://app@db.internal/app   ; pick with --env prod or STRATA_ENV=prod\n";

int strata_project_init(strata_buf *out, const char *dir)
{
    strata_buf path = STRATA_BUF_INIT;
    int error = 0;

    strata_error_clear();
    if (!dir)
        dir = ".";
    if (strata_fs_mkdir_p(dir) < 0) {
        error = strata__error(STRATA_ERROR, "init", "cannot create %s: %s", dir, strerror(errno));
        goto done;
    }
    strata_path_join(&path, dir, "strata.conf");
    if (strata_fs_isfile(path.ptr)) {
        strata_buf_printf(out, "exists  %s\n", path.ptr);
    } else if (strata_fs_write_new(path.ptr, conf_template, sizeof(conf_template) - 1) < 0) {
        error = strata__error(STRATA_ERROR, "init", "cannot write %s: %s", path.ptr, strerror(errno));
        goto done;
    } else {
        strata_buf_printf(out, "created %s\n", path.ptr);
    }
    strata_path_join(&path, dir, "migrations/repeatable");
    if (strata_fs_isdir(path.ptr)) {
        strata_buf_printf(out, "exists  %s\n", path.ptr);
    } else if (strata_fs_mkdir_p(path.ptr) < 0) {
        error = strata__error(STRATA_ERROR, "init", "cannot create %s: %s", path.ptr, strerror(errno));
        goto done;
    } else {
        strata_buf_printf(out, "created %s\n", path.ptr);
    }
done:
    strata_buf_dispose(&path);
    return error;
}

/* ---- new ----------------------------------------------------------------- */

/* The next integer version after the newest one, zero-padded like it. */
static void next_number(strata_buf *out, const strata_source *src)
{
    size_t n = strata_source_count(src);
    const strata_migration *last = NULL;
    unsigned long long v = 0;
    int width = 4;

    for (size_t i = 0; i < n; i++) {
        const strata_migration *m = strata_source_get(src, i);
        if (m->kind == STRATA_KIND_VERSIONED)
            last = m;
    }
    if (last) {
        v = strtoull(last->version, NULL, 10);
        size_t digits = strspn(strrchr(last->path, '/') ? strrchr(last->path, '/') + 1 : last->path,
                               "0123456789");
        width = (int)digits;
    }
    strata_buf_printf(out, "%0*llu", width, v + 1);
}

static void timestamp(strata_buf *out, int dashes)
{
    time_t now = time(NULL);
    struct tm tm;
    char s[32];
    gmtime_r(&now, &tm);
    strftime(s, sizeof(s), dashes ? "%Y-%m-%d-%H%M%S" : "%Y%m%d%H%M%S", &tm);
    strata_buf_puts(out, s);
}

/*
 * Two migrations created in one second would share a timestamp version:
 * make "ver" (digits, maybe with dashes) later than the newest version.
 */
static void after_newest(strata_buf *ver, const strata_source *src)
{
    const strata_migration *last = NULL;
    char digits[64];
    size_t n = 0;

    for (size_t i = 0; i < strata_source_count(src); i++)
        if (strata_source_get(src, i)->kind == STRATA_KIND_VERSIONED)
            last = strata_source_get(src, i);
    for (const char *p = ver->ptr; *p && n < sizeof(digits) - 1; p++)
        if (*p != '-')
            digits[n++] = *p;
    digits[n] = '\0';
    if (!last || strlen(last->version) != n || strcmp(digits, last->version) > 0)
        return;
    /* the newest plus one second's worth: bump the last digits of the newest */
    snprintf(digits, sizeof(digits), "%s", last->version);
    for (size_t i = n; i-- > 0;) {
        if (digits[i] < '9') {
            digits[i]++;
            break;
        }
        digits[i] = '0';
    }
    /* write it back in ver's shape (dashes where ver has them) */
    for (size_t i = 0, d = 0; i < ver->size; i++)
        if (ver->ptr[i] != '-')
            ver->ptr[i] = digits[d++];
}

static int write_file(strata_buf *out, const char *dir, const char *rel, const char *text)
{
    strata_buf path = STRATA_BUF_INIT;
    int error = 0;
    strata_path_join(&path, dir, rel);
    if (strata_fs_write_new(path.ptr, text, strlen(text)) < 0) {
        error = strata__error(errno == EEXIST ? STRATA_EEXISTS : STRATA_ERROR, "new",
                              "cannot create %s: %s", path.ptr, strerror(errno));
    } else {
        strata_buf_printf(out, "%s\n", path.ptr);
    }
    strata_buf_dispose(&path);
    return error;
}

int strata_project_new_migration(strata_buf *out, strata_project *p, const char *name,
                                 int repeatable)
{
    return strata__project_new_migration(out, p, name, repeatable, NULL, NULL);
}

int strata__project_new_migration(strata_buf *out, strata_project *p, const char *name,
                                  int repeatable, const char *up, const char *down)
{
    const strata_source *src = NULL;
    strata_buf snake = STRATA_BUF_INIT, ver = STRATA_BUF_INIT, rel = STRATA_BUF_INIT;
    strata_buf text = STRATA_BUF_INIT;
    const char *up_text = up ? up : "-- write the SQL here\n";
    strata_format f;
    int error;

    strata_error_clear();
    if (!name || strata_str_snake(&snake, name) < 0) {
        error = strata__error(STRATA_EINVALID, "new", "a migration needs a name with letters or digits");
        strata__error_hint("strata new create_users");
        goto done;
    }
    if (!strata_fs_isdir(p->migrations_dir) && strata_fs_mkdir_p(p->migrations_dir) < 0) {
        error = strata__error(STRATA_ERROR, "new", "cannot create %s: %s", p->migrations_dir,
                              strerror(errno));
        goto done;
    }
    if ((error = strata_project_source(&src, p)) < 0)
        goto done;
    f = strata_source_format(src);

    switch (f) {
    case STRATA_FORMAT_SEED:
        next_number(&ver, src);
        strata_buf_printf(&rel, "%s/%s_%s.sql", repeatable ? "replaceable" : "persistent",
                          ver.ptr, snake.ptr);
        strata_path_join(&ver, p->migrations_dir, repeatable ? "replaceable" : "persistent");
        strata_fs_mkdir_p(ver.ptr);
        error = write_file(out, p->migrations_dir, rel.ptr, up_text);
        break;
    case STRATA_FORMAT_FLYWAY:
        if (repeatable) {
            strata_buf_printf(&rel, "R__%s.sql", snake.ptr);
        } else {
            const strata_migration *last = NULL;
            for (size_t i = 0; i < strata_source_count(src); i++)
                if (strata_source_get(src, i)->kind == STRATA_KIND_VERSIONED)
                    last = strata_source_get(src, i);
            strata_buf_printf(&rel, "V%llu__%s.sql",
                              last ? strtoull(last->version, NULL, 10) + 1 : 1ULL, snake.ptr);
        }
        error = write_file(out, p->migrations_dir, rel.ptr, up_text);
        if (!error && down && !repeatable) {
            rel.ptr[0] = 'U';   /* the undo file of the same version */
            error = write_file(out, p->migrations_dir, rel.ptr, down);
        }
        break;
    case STRATA_FORMAT_GOLANG:
        if (repeatable)
            goto no_repeatable;
        next_number(&ver, src);
        strata_buf_printf(&rel, "%s_%s.up.sql", ver.ptr, snake.ptr);
        if ((error = write_file(out, p->migrations_dir, rel.ptr, up_text)) < 0)
            break;
        strata_buf_clear(&rel);
        strata_buf_printf(&rel, "%s_%s.down.sql", ver.ptr, snake.ptr);
        error = write_file(out, p->migrations_dir, rel.ptr, down ? down : "-- undo the up migration here\n");
        break;
    case STRATA_FORMAT_DBMATE:
        if (repeatable)
            goto no_repeatable;
        timestamp(&ver, 0);
        after_newest(&ver, src);
        strata_buf_printf(&rel, "%s_%s.sql", ver.ptr, snake.ptr);
        strata_buf_printf(&text, "-- migrate:up\n%s\n-- migrate:down\n%s", up ? up : "\n",
                          down ? down : "\n");
        error = write_file(out, p->migrations_dir, rel.ptr, text.ptr);
        break;
    case STRATA_FORMAT_DIESEL: {
        if (repeatable)
            goto no_repeatable;
        timestamp(&ver, 1);
        after_newest(&ver, src);
        strata_buf_printf(&rel, "%s_%s", ver.ptr, snake.ptr);
        strata_path_join(&ver, p->migrations_dir, rel.ptr);
        if (strata_fs_mkdir_p(ver.ptr) < 0) {
            error = strata__error(STRATA_ERROR, "new", "cannot create %s: %s", ver.ptr, strerror(errno));
            break;
        }
        strata_buf_puts(&rel, "/up.sql");
        if ((error = write_file(out, p->migrations_dir, rel.ptr, up_text)) < 0)
            break;
        rel.size -= strlen("up.sql");
        strata_buf_puts(&rel, "down.sql");
        error = write_file(out, p->migrations_dir, rel.ptr, down ? down : "-- undo up.sql here\n");
        break;
    }
    default:
        if (repeatable) {
            strata_path_join(&ver, p->migrations_dir, "repeatable");
            strata_fs_mkdir_p(ver.ptr);
            strata_buf_printf(&rel, "repeatable/%s.sql", snake.ptr);
            error = write_file(out, p->migrations_dir, rel.ptr,
                               "-- strata:up\n-- re-runs whenever this file changes\n\n");
        } else {
            next_number(&ver, src);
            strata_buf_printf(&rel, "%s_%s.sql", ver.ptr, snake.ptr);
            strata_buf_printf(&text, "-- strata:up\n%s\n-- strata:down\n%s", up ? up : "\n",
                              down ? down : "\n");
            error = write_file(out, p->migrations_dir, rel.ptr, text.ptr);
        }
        break;
    }
    goto done;
no_repeatable:
    error = strata__error(STRATA_EINVALID, "new", "the %s format has no repeatable migrations",
                          strata_format_name(f));
done:
    strata_buf_dispose(&snake);
    strata_buf_dispose(&text);
    strata_buf_dispose(&ver);
    strata_buf_dispose(&rel);
    return error;
}
