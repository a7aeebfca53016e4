/*
 * schema.c: the public face of the model (strata/schema.h): load a side
 * (database URL, migrations folder, desired-schema folder or file), inspect,
 * diff, render, drift and generate.
 *
 * SQL sides go through a scratch database so that the database itself parses
 * them: PostgreSQL gets a temporary database created (TEMPLATE template0) and
 * dropped on the target server, or the --dev-url database, which must be empty
 * and is emptied again after use; SQLite gets a temporary file.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "model.h"

/* ---- connections ------------------------------------------------------------ */

typedef struct {
    const strata_driver *drv;
    strata_conn *conn;
} link_t;

static int open_url(link_t *l, const char *url, unsigned flags)
{
    l->conn = NULL;
    if (!(l->drv = strata_driver_for_url(url)))
        return STRATA_EINVALID;
    return l->drv->connect(&l->conn, url, flags);
}

static void close_link(link_t *l)
{
    if (l->conn)
        l->drv->close(l->conn);
    l->conn = NULL;
}

static int inspect_link(strata_schema **out, link_t *l, const strata_schema_options *opts, const char *skip)
{
    if (!l->drv->inspect)
        return strata__error(STRATA_EINVALID, "schema", "the %s driver cannot inspect a schema", l->drv->name);
    return l->drv->inspect(out, l->conn, opts ? opts->schemas : NULL, opts ? opts->schemas_count : 0, skip);
}

static int inspect_url(strata_schema **out, const char *url, const strata_schema_options *opts, const char *skip)
{
    link_t l;
    int error = open_url(&l, url, STRATA_CONNECT_READ_ONLY);
    if (!error)
        error = inspect_link(out, &l, opts, skip);
    close_link(&l);
    return error;
}

/* ---- scratch databases -------------------------------------------------------- */

typedef struct {
    link_t admin;            /* PostgreSQL: a session on the target server that creates/drops it */
    strata_buf url, name;    /* the scratch database's URL (secret) and name */
    int dev;                 /* the user's --dev-url: empty it instead of dropping it */
    int file;                /* SQLite: a temporary file at name */
} scratch_t;

/* Drop every user schema and extension of a --dev-url database, and give it a new public. */
static int empty_dev(const char *url)
{
    static const char *const sql =
        "DO $strata$ DECLARE r record; BEGIN "
        "FOR r IN SELECT extname FROM pg_catalog.pg_extension WHERE extname <> 'plpgsql' LOOP "
        "  EXECUTE format('DROP EXTENSION %I CASCADE', r.extname); END LOOP; "
        "FOR r IN SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname NOT IN ('pg_catalog', "
        "  'information_schema') AND nspname !~ '^pg_' LOOP "
        "  EXECUTE format('DROP SCHEMA %I CASCADE', r.nspname); END LOOP; "
        "CREATE SCHEMA public; END $strata$";
    link_t l;
    int error = open_url(&l, url, 0);
    if (!error)
        error = l.drv->exec(l.conn, sql);
    close_link(&l);
    return error;
}

static int scratch_open(scratch_t *s, strata_project *p, const strata_schema_options *opts)
{
    const char *target = opts && opts->dev_url ? opts->dev_url : p->url;
    const strata_driver *drv = strata_driver_for_url(target);
    int error;

    memset(s, 0, sizeof(*s));
    if (!drv)
        return STRATA_EINVALID;
    if (!drv->scratch_create) {
        /* SQLite: a temporary file */
        char path[] = "/tmp/strata-scratch-XXXXXX";
        int fd = mkstemp(path);
        if (fd < 0)
            return strata__error(STRATA_ERROR, "schema", "cannot create a scratch file: %s", strerror(errno));
        close(fd);
        s->file = 1;
        strata_buf_puts(&s->name, path);
        strata_buf_printf(&s->url, "sqlite:%s", path);
        return 0;
    }
    if (opts && opts->dev_url) {
        strata_schema *m = NULL;
        s->dev = 1;
        strata_buf_puts(&s->url, opts->dev_url);
        if ((error = inspect_url(&m, opts->dev_url, NULL, NULL)) < 0)
            return error;
        if (strata_schema_count(m) > 0) {
            strata_schema_free(m);
            strata__error(STRATA_EINVALID, "schema", "the --dev-url database is not empty");
            strata__error_hint("give --dev-url an empty database: strata loads schemas into it and empties it after");
            return STRATA_EINVALID;
        }
        strata_schema_free(m);
        return 0;
    }
    if ((error = open_url(&s->admin, target, 0)) < 0)
        return error;
    if ((error = s->admin.drv->scratch_create(s->admin.conn, &s->url, &s->name)) < 0)
        close_link(&s->admin);
    return error;
}

static void scratch_close(scratch_t *s)
{
    if (s->file) {
        strata_buf wal = STRATA_BUF_INIT;
        unlink(s->name.ptr);
        strata_buf_printf(&wal, "%s-journal", s->name.ptr);
        unlink(wal.ptr);
        strata_buf_dispose(&wal);
    } else if (s->dev) {
        if (s->url.size)
            empty_dev(s->url.ptr);
    } else if (s->admin.conn) {
        s->admin.drv->scratch_drop(s->admin.conn, s->name.ptr);
        close_link(&s->admin);
    }
    /* the URL may hold a password */
    if (s->url.ptr)
        memset(s->url.ptr, 0, s->url.size);
    strata_buf_dispose(&s->url);
    strata_buf_dispose(&s->name);
}

/* ---- loading sides --------------------------------------------------------------- */

static int is_sql_name(const char *name)
{
    return strata_str_endswith(name, ".sql") || strata_str_endswith(name, ".json");
}

/* Run desired-schema files (.sql as they are, .json rendered) on a connection. */
static int run_desired_file(link_t *l, const char *path)
{
    strata_buf text = STRATA_BUF_INIT, sql = STRATA_BUF_INIT;
    strata_script_pos pos = { 0 };
    int error;

    if (strata_fs_read(&text, path) < 0) {
        error = strata__error(errno == ENOENT ? STRATA_ENOTFOUND : STRATA_EINVALID, "schema", "cannot read %s: %s",
                              path, strerror(errno));
        goto done;
    }
    if (strata_str_endswith(path, ".json")) {
        if ((error = strata__tabledef_sql(&sql, path, text.ptr)) < 0)
            goto done;
    } else {
        strata_buf_put(&sql, strata_buf_cstr(&text), text.size);
    }
    error = l->drv->exec_script(l->conn, strata_buf_cstr(&sql), sql.size, &pos, NULL, NULL);
    if (error < 0) {
        unsigned col = 0, line = 1;
        if (!strata_str_endswith(path, ".json")) {
            size_t at = pos.error_offset >= 0 ? (size_t)pos.error_offset : pos.stmt_offset;
            line = strata_str_line_of(sql.ptr, at, &col);
        }
        strata__error_prefix("%s:%u: ", path, line);
        strata__error_at(path, (int)line, (int)col);
    }
done:
    strata_buf_dispose(&text);
    strata_buf_dispose(&sql);
    return error;
}

static int load_desired(const char *url, const char *path)
{
    link_t l;
    char **names = NULL;
    size_t n = 0;
    int error;

    if ((error = open_url(&l, url, 0)) < 0)
        return error;
    if (strata_fs_isfile(path)) {
        error = run_desired_file(&l, path);
    } else if (strata_fs_list(&names, &n, path) < 0) {
        error = strata__error(STRATA_ENOTFOUND, "schema", "cannot read folder %s: %s", path, strerror(errno));
    } else {
        strata_buf file = STRATA_BUF_INIT;
        for (size_t i = 0; i < n && !error; i++) {
            if (!is_sql_name(names[i]))
                continue;
            strata_path_join(&file, path, names[i]);
            error = run_desired_file(&l, file.ptr);
        }
        strata_buf_dispose(&file);
        strata_fs_names_free(names, n);
    }
    close_link(&l);
    return error;
}

/* Apply a migrations folder (up to "to", NULL: all) to the database at url. */
static int load_migrations(const char *url, strata_project *p, const char *dir, const char *to)
{
    strata_options po = STRATA_OPTIONS_INIT;
    strata_run_options ro = STRATA_RUN_OPTIONS_INIT;
    strata_report rep = STRATA_REPORT_INIT;
    strata_project *sp = NULL;
    int error;

    po.dir = p->dir;
    po.url = url;
    po.migrations_dir = dir;
    po.history_schema = p->history_schema;
    po.format = p->format == STRATA_FORMAT_AUTO ? NULL : strata_format_name(p->format);
    po.env = p->env;
    po.no_env = 1;
    if ((error = strata_project_open(&sp, &po)) < 0)
        return error;
    ro.no_hooks = 1;
    ro.no_lint = 1;
    ro.lock_wait_ms = 0;
    ro.to = to;
    ro.allow_out_of_order = 1;
    error = strata_migrate_apply(&rep, sp, &ro);
    if (error < 0)
        strata__error_prefix("applying %s to the scratch database: ", dir);
    strata_report_dispose(&rep);
    strata_project_free(sp);
    return error;
}

/* Is "dir" a folder of migrations (rather than of desired-schema files)? */
static int is_migrations_dir(strata_project *p, const char *dir)
{
    strata_source *src = NULL;
    int yes;
    if (!strata_fs_isdir(dir))
        return 0;
    if (p->migrations_dir && strcmp(dir, p->migrations_dir) == 0)
        return 1;
    if (strata_source_load(&src, dir, p->format) < 0) {
        strata_error_clear();
        return 0;
    }
    yes = strata_source_count(src) > 0 && strata_source_format(src) != STRATA_FORMAT_AUTO;
    strata_source_free(src);
    return yes;
}

static int looks_like_url(const char *s)
{
    return strstr(s, "://") || strncmp(s, "sqlite:", 7) == 0 || strncmp(s, "sqlite3:", 8) == 0 ||
           (strchr(s, '=') && !strata_fs_isdir(s) && !strata_fs_isfile(s));
}

/* Load a folder or file side through a scratch database; "to": migrations only. */
static int load_via_scratch(strata_schema **out, strata_project *p, const char *path, int migrations,
                            const char *to, const strata_schema_options *opts)
{
    scratch_t s;
    int error = scratch_open(&s, p, opts);
    if (error < 0)
        return error;
    error = migrations ? load_migrations(s.url.ptr, p, path, to) : load_desired(s.url.ptr, path);
    if (!error)
        error = inspect_url(out, s.url.ptr, opts, p->history_schema);
    scratch_close(&s);
    return error;
}

int strata_schema_load(strata_schema **out, strata_project *p, const char *source,
                       const strata_schema_options *opts)
{
    strata_buf path = STRATA_BUF_INIT;
    int error;

    strata_error_clear();
    *out = NULL;
    if (looks_like_url(source))
        return inspect_url(out, source, opts, p->history_schema);
    if (strata_path_isabs(source) || strata_fs_isdir(source) || strata_fs_isfile(source))
        strata_buf_puts(&path, source);
    else
        strata_path_join(&path, p->dir, source);
    if (!strata_fs_isdir(path.ptr) && !strata_fs_isfile(path.ptr)) {
        error = strata__error(STRATA_ENOTFOUND, "schema", "%s is neither a database URL nor a folder or file",
                              source);
        strata__error_hint("a side is postgres://..., sqlite:FILE, a migrations folder, or a folder or file of "
                           "desired-schema .sql and .json table definitions");
        goto done;
    }
    error = load_via_scratch(out, p, path.ptr, is_migrations_dir(p, path.ptr), NULL, opts);
done:
    strata_buf_dispose(&path);
    return error;
}

typedef struct {
    strata_schema *m;
    strata_project *p;
    const char *source;
    const strata_schema_options *opts;
    int error;
    strata_error err;        /* the thread's error, copied out */
    strata_arena arena;      /* for err's strings */
} load_job;

static void *load_thread(void *arg)
{
    load_job *j = arg;
    j->error = strata_schema_load(&j->m, j->p, j->source, j->opts);
    if (j->error)
        strata__error_copy(&j->err, &j->arena);
    strata_error_clear();   /* frees this thread's error memory */
    return NULL;
}

int strata_schema_load_pair(strata_schema **from, strata_schema **to, strata_project *p,
                            const char *from_source, const char *to_source,
                            const strata_schema_options *opts)
{
    load_job j;
    pthread_t t;
    int error;

    *from = *to = NULL;
    memset(&j, 0, sizeof(j));
    j.p = p;
    j.source = to_source;
    j.opts = opts;
    /* one --dev-url database cannot hold both sides at once */
    if ((opts && opts->dev_url) || pthread_create(&t, NULL, load_thread, &j) != 0) {
        if ((error = strata_schema_load(from, p, from_source, opts)) == 0)
            error = strata_schema_load(to, p, to_source, opts);
        return error;
    }
    error = strata_schema_load(from, p, from_source, opts);
    pthread_join(t, NULL);
    *to = j.m;
    if (!error && j.error)
        error = strata__error_restore(&j.err);
    strata_arena_dispose(&j.arena);
    return error;
}

int strata_schema_inspect(strata_schema **out, strata_project *p, const strata_schema_options *opts)
{
    strata_error_clear();
    *out = NULL;
    return inspect_url(out, p->url, opts, p->history_schema);
}

/* ---- diff ---------------------------------------------------------------------------- */

typedef struct {
    strata_arena arena;
    sm_changes changes;
} diff_mem;

int strata_schema_diff(strata_diff *out, const strata_schema *from, const strata_schema *to,
                       const strata_schema_options *opts)
{
    diff_mem *mem;
    int error;

    memset(out, 0, sizeof(*out));
    if (strcmp(from->dialect, to->dialect) != 0)
        return strata__error(STRATA_EINVALID, "diff", "cannot diff a %s schema against a %s one", from->dialect,
                             to->dialect);
    if (!(mem = strata__calloc(1, sizeof(*mem))))
        return strata__error_oom();
    mem->changes.arena = &mem->arena;
    out->internal = mem;
    out->dialect = from->dialect;
    error = strcmp(from->dialect, "sqlite") == 0 ? strata__sqlite_diff(&mem->changes, from, to, opts)
                                                  : strata__pg_diff(&mem->changes, from, to, opts);
    out->changes = mem->changes.changes;
    out->count = mem->changes.count;
    for (size_t i = 0; i < out->count; i++)
        out->destructive += (out->changes[i].flags & STRATA_CHANGE_DESTRUCTIVE) != 0;
    if (!error && out->destructive && !(opts && opts->allow_destructive)) {
        strata_buf list = STRATA_BUF_INIT;
        for (size_t i = 0, k = 0; i < out->count && k < 5; i++)
            if (out->changes[i].flags & STRATA_CHANGE_DESTRUCTIVE) {
                const strata_change *c = &out->changes[i];
                strata_buf_printf(&list, "%s%s", k++ ? "; " : "", c->what);
                if (c->note)
                    strata_buf_printf(&list, " (%s)", c->note);
            }
        error = strata__error(STRATA_EREFUSED, "diff", "%zu destructive change%s: %s%s", out->destructive,
                              out->destructive == 1 ? "" : "s", list.ptr, out->destructive > 5 ? "; ..." : "");
        strata__error_hint("review them, then pass --allow-destructive");
        strata_buf_dispose(&list);
    }
    return error;
}

void strata_diff_dispose(strata_diff *d)
{
    diff_mem *mem = d ? d->internal : NULL;
    if (!mem)
        return;
    free(mem->changes.changes);
    strata_arena_dispose(&mem->arena);
    free(mem);
    memset(d, 0, sizeof(*d));
}

int strata_diff_sql(strata_buf *out, const strata_diff *d, int down)
{
    for (size_t k = 0; k < d->count; k++) {
        const strata_change *c = &d->changes[down ? d->count - 1 - k : k];
        const char *sql = down ? c->down : c->up;
        if (!*sql)
            continue;
        strata_buf_printf(out, "%s-- %s%s\n", out->size ? "\n" : "", down ? "undo: " : "", c->what);
        if (c->flags & STRATA_CHANGE_DESTRUCTIVE)
            strata_buf_printf(out, "-- DESTRUCTIVE: %s\n", c->note ? c->note : "loses data");
        else if (c->note)
            strata_buf_printf(out, "-- note: %s\n", c->note);
        strata_buf_puts(out, sql);
    }
    return 0;
}

/* ---- rendering a model ------------------------------------------------------------------ */

int strata_schema_sql(strata_buf *out, const strata_schema *m)
{
    strata_schema *empty = strata__model_new(m->dialect);
    strata_diff d = STRATA_DIFF_INIT;
    strata_schema_options o = STRATA_SCHEMA_OPTIONS_INIT;
    int error;
    if (!empty)
        return strata__error_oom();
    o.allow_destructive = 1;
    if ((error = strata__model_finish(empty)) == 0 && (error = strata_schema_diff(&d, empty, m, &o)) == 0)
        for (size_t i = 0; i < d.count; i++)
            strata_buf_printf(out, "%s%s", i ? "\n" : "", d.changes[i].up);
    strata_diff_dispose(&d);
    strata_schema_free(empty);
    return error;
}

/* ---- drift and generate --------------------------------------------------------------- */

/* The newest version the live history holds as applied, or NULL (nothing applied). */
static int applied_head(strata_buf *out, strata_project *p)
{
    strata_report rep = STRATA_REPORT_INIT;
    int error = strata_migrate_status(&rep, p);
    if (error < 0)
        return error;
    for (size_t i = 0; i < rep.count; i++) {
        const strata_row *r = &rep.rows[i];
        if (r->kind == STRATA_KIND_VERSIONED && r->version &&
            (r->state == STRATA_STATE_APPLIED || r->state == STRATA_STATE_CHANGED ||
             r->state == STRATA_STATE_BELOW_BASELINE)) {
            strata_buf_clear(out);
            strata_buf_puts(out, r->version);
        }
    }
    strata_report_dispose(&rep);
    return 0;
}

int strata_drift(strata_diff *out, strata_project *p, const strata_schema_options *opts)
{
    strata_schema *expected = NULL, *live = NULL;
    strata_schema_options o = opts ? *opts : (strata_schema_options)STRATA_SCHEMA_OPTIONS_INIT;
    strata_buf head = STRATA_BUF_INIT;
    int error;

    strata_error_clear();
    memset(out, 0, sizeof(*out));
    if ((error = applied_head(&head, p)) < 0)
        goto done;
    if (head.size) {
        if ((error = load_via_scratch(&expected, p, p->migrations_dir, 1, head.ptr, &o)) < 0)
            goto done;
    } else {
        /* nothing applied: the expected schema is empty */
        if (!(expected = strata__model_new(strata_driver_for_url(p->url)->name)) ||
            (error = strata__model_finish(expected)) < 0)
            goto done;
    }
    if ((error = strata_schema_inspect(&live, p, &o)) < 0)
        goto done;
    o.allow_destructive = 1;
    error = strata_schema_diff(out, expected, live, &o);
done:
    strata_schema_free(expected);
    strata_schema_free(live);
    strata_buf_dispose(&head);
    return error;
}

int strata_generate(strata_buf *path, strata_diff *out, strata_project *p, const char *name,
                    const char *desired, const strata_schema_options *opts)
{
    strata_schema *head = NULL, *want = NULL;
    strata_buf up = STRATA_BUF_INIT, down = STRATA_BUF_INIT;
    const strata_source *src = NULL;
    int error;

    strata_error_clear();
    memset(out, 0, sizeof(*out));
    if ((error = strata_project_source(&src, p)) < 0)
        goto done;
    if (strata_source_count(src) > 0) {
        if ((error = strata_schema_load_pair(&head, &want, p, p->migrations_dir, desired, opts)) < 0)
            goto done;
    } else if (!(head = strata__model_new(strata_driver_for_url(p->url)->name)) ||
               (error = strata__model_finish(head)) < 0 ||
               (error = strata_schema_load(&want, p, desired, opts)) < 0) {
        goto done;
    }
    if ((error = strata_schema_diff(out, head, want, opts)) < 0)
        goto done;
    if (out->count == 0) {
        error = strata__error(STRATA_EEXISTS, "generate", "the migrations already produce %s: nothing to generate",
                              desired);
        goto done;
    }
    strata_buf_puts(&up, "-- generated by strata generate: the migrations' head to ");
    strata_buf_printf(&up, "%s\n", desired);
    for (size_t i = 0; i < out->count; i++)
        if (out->changes[i].flags & STRATA_CHANGE_NO_TRANSACTION) {
            strata_buf_puts(&up, "-- note: ALTER TYPE ... ADD VALUE: the new value cannot be used in this same "
                                 "transaction\n");
            break;
        }
    strata_buf_puts(&up, "\n");
    strata_diff_sql(&up, out, 0);
    strata_diff_sql(&down, out, 1);
    error = strata__project_new_migration(path, p, name, 0, up.ptr, down.ptr);
done:
    strata_schema_free(head);
    strata_schema_free(want);
    strata_buf_dispose(&up);
    strata_buf_dispose(&down);
    return error;
}
