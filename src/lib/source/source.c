/*
 * source.c: reads a migrations folder, in any supported format, into one
 * ordered list of strata_migration.
 *
 * The folder is listed once, the format detected (or forced), each file name
 * matched against its format's pattern and each file read once: its bytes
 * are kept in the source's arena, checksummed, split into up/down sections
 * and scanned for directives. A name that does not fit the pattern, two files
 * with one version, or a bad directive fail the whole load with an error
 * naming the file: nothing runs from a folder strata does not fully
 * understand. This file never touches a database.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../strata_int.h"

struct strata_source {
    strata_arena arena;          /* every string and the file texts */
    char *dir;                   /* folder as given */
    int dirfd;                   /* the folder, open while loading (openat) */
    strata_format format;        /* detected or forced */
    strata_migration *migs;      /* versioned (by version), then repeatables */
    size_t count;
    size_t cap;
};

/* ---- reading one file -------------------------------------------------- */

/* A file's text in the arena, NUL-terminated. */
static int read_text(const char **out, size_t *len, strata_source *src, const char *rel)
{
    /* openat on the folder: one path lookup per file, and the text lands in
     * the arena directly (thousands of files are read on every run) */
    int fd = openat(src->dirfd, rel, O_RDONLY | O_CLOEXEC);
    struct stat st;
    char *text = NULL, small[8192];
    size_t got = 0;
    ssize_t first;
    int error = 0;

    /* most migrations fit in one read: no fstat, no second read for EOF */
    if (fd >= 0 && (first = read(fd, small, sizeof(small))) >= 0 && (size_t)first < sizeof(small)) {
        if (!(text = strata_arena_alloc(&src->arena, (size_t)first + 1))) {
            error = strata__error_oom();
            goto done;
        }
        memcpy(text, small, (size_t)first);
        text[first] = '\0';
        *out = text;
        *len = (size_t)first;
        goto done;
    }
    if (fd >= 0 && lseek(fd, 0, SEEK_SET) < 0) {
        close(fd);
        fd = -1;
    }
    if (fd < 0 || fstat(fd, &st) < 0) {
        error = strata__error(STRATA_EINVALID, "source", "cannot read %s/%s: %s", src->dir, rel,
                              strerror(errno));
        strata__error_hint("check the file's permissions, or whether it is a broken link");
        goto done;
    }
    if (!(text = strata_arena_alloc(&src->arena, (size_t)st.st_size + 1))) {
        error = strata__error_oom();
        goto done;
    }
    while (got < (size_t)st.st_size) {
        ssize_t n = read(fd, text + got, (size_t)st.st_size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            error = strata__error(STRATA_EINVALID, "source", "cannot read %s/%s: %s", src->dir, rel,
                                  strerror(errno));
            goto done;
        }
        if (n == 0)
            break;  /* shrank while we read: take what is there */
        got += (size_t)n;
    }
    text[got] = '\0';
    *out = text;
    *len = got;
done:
    if (fd >= 0)
        close(fd);
    return error;
}

/* Split "a, b c" into an arena array of words. */
static int split_list(const char *const **out, size_t *count, strata_source *src,
                      const char *text)
{
    const char **v = NULL;
    size_t n = 0;
    const char *p = text;

    /* at most strlen/2+1 words */
    v = strata_arena_alloc(&src->arena, sizeof(*v) * (strlen(text) / 2 + 2));
    STRATA_CHECK_ALLOC(v);
    while (*p) {
        size_t skip = strspn(p, ", \t");
        p += skip;
        size_t w = strcspn(p, ", \t");
        if (w) {
            v[n] = strata_arena_strndup(&src->arena, p, w);
            STRATA_CHECK_ALLOC(v[n]);
            n++;
        }
        p += w;
    }
    *out = v;
    *count = n;
    return 0;
}

static int bad_directive(const char *rel, unsigned line, const char *fmt, const char *what)
{
    strata__error(STRATA_EINVALID, "source", fmt, what);
    strata__error_at(rel, (int)line, 1);
    strata__error_hint("directives are: -- strata:no-transaction, -- strata:requires V[,V], "
                       "-- strata:env E[,E], -- strata:timeout DUR (30s, 5m), -- strata:run-always");
    return STRATA_EINVALID;
}

/*
 * Apply one "-- strata:KEY VALUE" directive found on line "line" of "rel".
 * Section markers (up/down) are handled by the caller.
 */
static int apply_directive(strata_migration *m, strata_source *src, const char *rel,
                           unsigned line, const char *key, const char *value)
{
    if (strcmp(key, "no-transaction") == 0) {
        m->flags |= STRATA_MIG_NO_TRANSACTION | STRATA_MIG_DOWN_NO_TRANSACTION;
    } else if (strcmp(key, "run-always") == 0) {
        if (m->kind != STRATA_KIND_REPEATABLE)
            return bad_directive(rel, line,
                                 "%s only applies to repeatable migrations", "strata:run-always");
        m->flags |= STRATA_MIG_RUN_ALWAYS;
    } else if (strcmp(key, "requires") == 0) {
        if (!*value)
            return bad_directive(rel, line, "%s needs a version", "strata:requires");
        return split_list(&m->requires, &m->requires_count, src, value);
    } else if (strcmp(key, "env") == 0) {
        if (!*value)
            return bad_directive(rel, line, "%s needs one or more env names", "strata:env");
        return split_list(&m->envs, &m->envs_count, src, value);
    } else if (strcmp(key, "timeout") == 0) {
        long ms = strata_str_duration_ms(value);
        if (ms <= 0)
            return bad_directive(rel, line, "strata:timeout needs a duration such as 30s or 5m, not '%s'",
                                 value);
        m->timeout_ms = ms;
    } else {
        return bad_directive(rel, line, "unknown directive 'strata:%s'", key);
    }
    return 0;
}

/*
 * Walk the lines of "text" (a whole file): directives in the leading comment
 * block, and the section markers of "up_mark"/"down_mark" (native
 * "-- strata:up", dbmate "-- migrate:up"). Sets up/down spans. With no up
 * marker, the whole file is the up section (unless "need_marker").
 */
static int scan_file(strata_migration *m, strata_source *src, const char *rel,
                     const char *text, size_t len, const char *up_mark,
                     const char *down_mark, int need_marker)
{
    const char *p = text, *end = text + len;

    /* a UTF-8 byte order mark is not SQL: skip it (the checksum still covers it) */
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        p = text;
    }
    unsigned line = 1, sql_before = 0;  /* first SQL line seen before the up marker */
    int leading = 1;
    const char *up = NULL, *down = NULL;
    unsigned up_line = 0, down_line = 0;
    const char *up_end = end;

    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        const char *next = eol ? eol + 1 : end;
        size_t n = (size_t)((eol ? eol : end) - p);
        char buf[4096];
        char *s;

        if (n >= sizeof(buf))
            n = sizeof(buf) - 1;  /* only markers and directives are read from a line */
        memcpy(buf, p, n);
        buf[n] = '\0';
        s = strata_str_trim(buf);

        if (up_mark && strata_str_startswith(s, up_mark) &&
            (s[strlen(up_mark)] == '\0' || isspace((unsigned char)s[strlen(up_mark)]))) {
            if (up)
                return bad_directive(rel, line, "a second '%s' marker", up_mark);
            /* the down section runs to the end of the file, and the up section
             * would end (at the down marker) before it starts */
            if (down)
                return bad_directive(rel, line, "'%s' comes after the down marker", up_mark);
            if (sql_before) {
                strata__error(STRATA_EINVALID, "source",
                              "SQL on line %u comes before the '%s' marker and would never run",
                              sql_before, up_mark);
                strata__error_at(rel, (int)sql_before, 1);
                strata__error_hint("move it below '%s' (only comments may precede it)", up_mark);
                return STRATA_EINVALID;
            }
            up = next;
            up_line = line + 1;
            if (strstr(s, "transaction:false") || strstr(s, "no-transaction"))
                m->flags |= STRATA_MIG_NO_TRANSACTION;
        } else if (down_mark && strata_str_startswith(s, down_mark) &&
                   (s[strlen(down_mark)] == '\0' || isspace((unsigned char)s[strlen(down_mark)]))) {
            if (down)
                return bad_directive(rel, line, "a second '%s' marker", down_mark);
            if (!up && need_marker)
                return bad_directive(rel, line, "'%s' comes before the up marker", down_mark);
            up_end = p;
            down = next;
            down_line = line + 1;
            if (strstr(s, "transaction:false") || strstr(s, "no-transaction"))
                m->flags |= STRATA_MIG_DOWN_NO_TRANSACTION;
            leading = 0;
        } else if (leading && strata_str_startswith(s, "--")) {
            char *d = strata_str_trim(s + 2);
            if (strata_str_startswith(d, "strata:")) {
                char *key = d + 7;
                char *val = key + strcspn(key, " \t");
                if (*val)
                    *val++ = '\0';
                int error = apply_directive(m, src, rel, line, key, strata_str_trim(val));
                if (error < 0)
                    return error;
            }
        } else if (*s != '\0') {
            leading = 0;
            if (!up && !down && !sql_before && !strata_str_startswith(s, "--"))
                sql_before = line;
        }
        p = next;
        line++;
    }

    if (!up) {
        if (need_marker) {
            strata__error(STRATA_EINVALID, "source", "%s has no '%s' marker", rel, up_mark);
            strata__error_at(rel, 1, 1);
            strata__error_hint("start the migration with a line '%s'", up_mark);
            return STRATA_EINVALID;
        }
        if (down && up_mark) {
            /* native file with only a down marker: everything before it is up */
            up = text;
            up_line = 1;
        } else {
            up = text;
            up_line = 1;
        }
    }
    m->up_sql = strata_arena_strndup(&src->arena, up, (size_t)(up_end - up));
    STRATA_CHECK_ALLOC(m->up_sql);
    m->up_len = (size_t)(up_end - up);
    m->up_line = up_line;
    if (down) {
        m->down_path = m->path;
        m->down_sql = down;   /* runs to the end of the file, already NUL-terminated */
        m->down_len = (size_t)(end - down);
        m->down_line = down_line;
    }
    return 0;
}

/* Add a migration shell for file "rel" (arena copy of the path). */
static strata_migration *add_mig(strata_source *src, strata_kind kind, const char *version,
                                 const char *name, size_t name_len, const char *rel)
{
    strata_migration *m;
    if (STRATA_ARRAY_GROW(src->migs, src->count, src->cap) < 0)
        return NULL;
    m = &src->migs[src->count];
    memset(m, 0, sizeof(*m));
    m->kind = kind;
    m->version = version ? strata_arena_strdup(&src->arena, version) : NULL;
    m->name = strata_arena_strndup(&src->arena, name, name_len);
    m->path = strata_arena_strdup(&src->arena, rel);
    if ((version && !m->version) || !m->name || !m->path)
        return NULL;
    src->count++;
    return m;
}

/* Read "rel" as the up file of m: checksum, sections, directives. */
static int load_up(strata_migration *m, strata_source *src, const char *up_mark,
                   const char *down_mark, int need_marker)
{
    const char *text;
    size_t len;
    int error = read_text(&text, &len, src, m->path);
    if (error < 0)
        return error;
    if (strata_sha256_hex_lf(m->checksum, text, len) < 0)
        return strata__error(STRATA_ERROR, "source", "cannot compute SHA-256 of %s", m->path);
    return scan_file(m, src, m->path, text, len, up_mark, down_mark, need_marker);
}

/* Read a separate down file (flyway U, golang .down.sql, diesel down.sql). */
static int load_down(strata_migration *m, strata_source *src, const char *rel)
{
    const char *text;
    size_t len;
    strata_migration tmp;
    int error = read_text(&text, &len, src, rel);
    if (error < 0)
        return error;
    memset(&tmp, 0, sizeof(tmp));
    tmp.kind = m->kind;
    tmp.path = strata_arena_strdup(&src->arena, rel);
    STRATA_CHECK_ALLOC(tmp.path);
    if ((error = scan_file(&tmp, src, rel, text, len, NULL, NULL, 0)) < 0)
        return error;
    m->down_path = tmp.path;
    m->down_sql = tmp.up_sql;
    m->down_len = tmp.up_len;
    m->down_line = 1;
    if (tmp.flags & STRATA_MIG_NO_TRANSACTION)
        m->flags |= STRATA_MIG_DOWN_NO_TRANSACTION;
    return 0;
}

static int bad_name(const char *rel, const char *expected)
{
    strata__error(STRATA_EINVALID, "source", "bad migration file name '%s'", rel);
    strata__error_at(rel, 0, 0);
    strata__error_hint("expected %s", expected);
    return STRATA_EINVALID;
}

/*
 * Match "<digits><sep><name><suffix>": the version is the leading digits
 * (digits and '-' when "dashes"), the name what is between. Returns 0 if it
 * matches, filling version (canonical for "format") and the name span.
 */
static int match_numbered(char *version, size_t vsz, const char **name, size_t *name_len,
                          const char *file, const char *suffix, strata_format format, int dashes)
{
    size_t n = strlen(file), sl = strlen(suffix);
    size_t dn = strspn(file, dashes ? "0123456789-" : "0123456789");
    char raw[128];

    if (n <= sl || strcmp(file + n - sl, suffix) != 0 || dn == 0 || dn >= sizeof(raw))
        return -1;
    if (file[dn] != '_' || dn + 1 >= n - sl)
        return -1;
    memcpy(raw, file, dn);
    raw[dn] = '\0';
    if (strata_version_canonical(version, vsz, format, raw) < 0)
        return -1;
    *name = file + dn + 1;
    *name_len = n - sl - dn - 1;
    return 0;
}

/* ---- formats ------------------------------------------------------------ */

/*
 * The one-file-per-version formats: every NAME.sql of the folder must be
 * "<digits>_<name>.sql"; its sections are found by "up_mark"/"down_mark"
 * (required when "need_marker"). Folders and other files are not migrations.
 */
static int load_numbered(strata_source *src, char **names, size_t count, strata_format format,
                         const char *pattern, const char *up_mark, const char *down_mark, int need_marker)
{
    char version[128];
    const char *name;
    size_t nl;
    int error;

    for (size_t i = 0; i < count; i++) {
        if (!strata_str_endswith(names[i], ".sql"))
            continue;
        if (match_numbered(version, sizeof(version), &name, &nl, names[i], ".sql", format, 0) < 0)
            return bad_name(names[i], pattern);
        strata_migration *m = add_mig(src, STRATA_KIND_VERSIONED, version, name, nl, names[i]);
        STRATA_CHECK_ALLOC(m);
        if ((error = load_up(m, src, up_mark, down_mark, need_marker)) < 0)
            return error;
    }
    return 0;
}

static int load_native(strata_source *src, char **names, size_t count)
{
    return load_numbered(src, names, count, STRATA_FORMAT_NATIVE,
                         "NNNN_name.sql (digits, an underscore, a name), or a repeatable in "
                         "repeatable/NAME.sql",
                         "-- strata:up", "-- strata:down", 0);
}

/* Repeatables in folder "sub" of the migrations folder ("repeatable", "replaceable"). */
static int load_repeatables(strata_source *src, const char *sub, int numbered)
{
    strata_buf dir = STRATA_BUF_INIT, rel = STRATA_BUF_INIT;
    char **names = NULL;
    size_t count = 0;
    int error = 0;

    if (strata_path_join(&dir, src->dir, sub) < 0) {
        error = strata__error_oom();
        goto done;
    }
    if (!strata_fs_isdir(dir.ptr))
        goto done;
    if (strata_fs_list(&names, &count, dir.ptr) < 0) {
        error = strata__error(STRATA_ERROR, "source", "cannot list %s: %s", dir.ptr,
                              strerror(errno));
        goto done;
    }
    for (size_t i = 0; i < count; i++) {
        char version[128];
        const char *name;
        size_t nl;
        if (!strata_str_endswith(names[i], ".sql"))
            continue;
        strata_buf_clear(&rel);
        strata_buf_printf(&rel, "%s/%s", sub, names[i]);
        if (numbered && match_numbered(version, sizeof(version), &name, &nl, names[i], ".sql",
                                       STRATA_FORMAT_SEED, 0) < 0) {
            error = bad_name(rel.ptr, "replaceable/NNN_name.sql");
            goto done;
        }
        /* a repeatable is known by its file name without .sql */
        strata_migration *m = add_mig(src, STRATA_KIND_REPEATABLE, NULL, names[i],
                                      strlen(names[i]) - 4, rel.ptr);
        if (!m) {
            error = strata__error_oom();
            goto done;
        }
        if ((error = load_up(m, src, "-- strata:up", "-- strata:down", 0)) < 0)
            goto done;
    }
done:
    strata_fs_names_free(names, count);
    strata_buf_dispose(&dir);
    strata_buf_dispose(&rel);
    return error;
}

static int load_seed(strata_source *src)
{
    strata_buf dir = STRATA_BUF_INIT, rel = STRATA_BUF_INIT;
    char **names = NULL;
    size_t count = 0;
    int error = 0;

    if (strata_path_join(&dir, src->dir, "persistent") < 0) {
        error = strata__error_oom();
        goto done;
    }
    if (strata_fs_isdir(dir.ptr) && strata_fs_list(&names, &count, dir.ptr) < 0) {
        error = strata__error(STRATA_ERROR, "source", "cannot list %s: %s", dir.ptr,
                              strerror(errno));
        goto done;
    }
    for (size_t i = 0; i < count; i++) {
        char version[128];
        const char *name;
        size_t nl;
        if (!strata_str_endswith(names[i], ".sql"))
            continue;
        strata_buf_clear(&rel);
        strata_buf_printf(&rel, "persistent/%s", names[i]);
        if (match_numbered(version, sizeof(version), &name, &nl, names[i], ".sql",
                           STRATA_FORMAT_SEED, 0) < 0) {
            error = bad_name(rel.ptr, "persistent/NNN_name.sql");
            goto done;
        }
        strata_migration *m = add_mig(src, STRATA_KIND_VERSIONED, version, name, nl, rel.ptr);
        if (!m) {
            error = strata__error_oom();
            goto done;
        }
        if ((error = load_up(m, src, "-- strata:up", "-- strata:down", 0)) < 0)
            goto done;
    }
    error = load_repeatables(src, "replaceable", 1);
done:
    strata_fs_names_free(names, count);
    strata_buf_dispose(&dir);
    strata_buf_dispose(&rel);
    return error;
}

/* Flyway's "executeInTransaction=false" in a V1__x.sql.conf sidecar. */
static int flyway_conf(strata_migration *m, strata_source *src, const char *rel, int is_down)
{
    strata_buf path = STRATA_BUF_INIT, data = STRATA_BUF_INIT;
    int error = 0;

    strata_buf_printf(&path, "%s/%s.conf", src->dir, rel);
    if (strata_fs_isfile(path.ptr) && strata_fs_read(&data, path.ptr) == 0) {
        char *save = NULL;
        for (char *l = strtok_r(data.ptr, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
            char *s = strata_str_trim(l);
            char *eq = strchr(s, '=');
            if (!eq || *s == '#')
                continue;
            *eq = '\0';
            if (strcmp(strata_str_trim(s), "executeInTransaction") == 0 &&
                strcmp(strata_str_trim(eq + 1), "false") == 0)
                m->flags |= is_down ? STRATA_MIG_DOWN_NO_TRANSACTION : STRATA_MIG_NO_TRANSACTION;
        }
    }
    strata_buf_dispose(&path);
    strata_buf_dispose(&data);
    return error;
}

/* Flyway: V<ver>__<desc>.sql, U<ver>__<desc>.sql, R__<desc>.sql. */
static int load_flyway(strata_source *src, char **names, size_t count)
{
    static const char pattern[] = "V<version>__<description>.sql (version like 1, 1.2 or 1_2), "
                                  "U<version>__<description>.sql for undo, R__<description>.sql";
    int error;

    for (size_t i = 0; i < count; i++) {
        const char *f = names[i];
        const char *sep = strstr(f, "__");
        char raw[128], version[128];

        if (!strata_str_endswith(f, ".sql"))
            continue;
        if (!sep || (f[0] != 'V' && f[0] != 'U' && f[0] != 'R') || strlen(sep) <= 6)
            return bad_name(f, pattern);
        if (f[0] == 'R') {
            if (sep != f + 1)
                return bad_name(f, pattern);
            strata_migration *m = add_mig(src, STRATA_KIND_REPEATABLE, NULL, sep + 2,
                                          strlen(sep + 2) - 4, f);
            STRATA_CHECK_ALLOC(m);
            if ((error = load_up(m, src, NULL, NULL, 0)) < 0 ||
                (error = flyway_conf(m, src, f, 0)) < 0)
                return error;
            continue;
        }
        size_t vn = (size_t)(sep - f - 1);
        if (vn == 0 || vn >= sizeof(raw))
            return bad_name(f, pattern);
        memcpy(raw, f + 1, vn);
        raw[vn] = '\0';
        if (strata_version_canonical(version, sizeof(version), STRATA_FORMAT_FLYWAY, raw) < 0)
            return bad_name(f, pattern);
        if (f[0] == 'U')
            continue;  /* attached to its V file below */
        strata_migration *m = add_mig(src, STRATA_KIND_VERSIONED, version, sep + 2,
                                      strlen(sep + 2) - 4, f);
        STRATA_CHECK_ALLOC(m);
        if ((error = load_up(m, src, NULL, NULL, 0)) < 0 ||
            (error = flyway_conf(m, src, f, 0)) < 0)
            return error;
    }
    /* undo files */
    for (size_t i = 0; i < count; i++) {
        const char *f = names[i];
        char raw[128], version[128];
        const char *sep = strstr(f, "__");
        if (f[0] != 'U' || !sep || !strata_str_endswith(f, ".sql"))
            continue;
        size_t vn = (size_t)(sep - f - 1);
        memcpy(raw, f + 1, vn);
        raw[vn] = '\0';
        strata_version_canonical(version, sizeof(version), STRATA_FORMAT_FLYWAY, raw);
        strata_migration *m = NULL;
        for (size_t j = 0; j < src->count; j++)
            if (src->migs[j].version && strcmp(src->migs[j].version, version) == 0)
                m = &src->migs[j];
        if (!m) {
            strata__error(STRATA_EINVALID, "source", "undo file '%s' has no V%s__ migration", f, raw);
            strata__error_at(f, 0, 0);
            strata__error_hint("rename it to match a versioned migration, or remove it");
            return STRATA_EINVALID;
        }
        if ((error = load_down(m, src, f)) < 0 || (error = flyway_conf(m, src, f, 1)) < 0)
            return error;
    }
    return 0;
}

/* golang-migrate: NNN_name.up.sql and NNN_name.down.sql. */
static int load_golang(strata_source *src, char **names, size_t count)
{
    static const char pattern[] = "NNN_name.up.sql and NNN_name.down.sql";
    char version[128];
    const char *name;
    size_t nl;
    int error;

    for (size_t i = 0; i < count; i++) {
        if (!strata_str_endswith(names[i], ".sql") || strata_str_endswith(names[i], ".down.sql"))
            continue;
        if (match_numbered(version, sizeof(version), &name, &nl, names[i], ".up.sql",
                           STRATA_FORMAT_GOLANG, 0) < 0)
            return bad_name(names[i], pattern);
        strata_migration *m = add_mig(src, STRATA_KIND_VERSIONED, version, name, nl, names[i]);
        STRATA_CHECK_ALLOC(m);
        if ((error = load_up(m, src, NULL, NULL, 0)) < 0)
            return error;
    }
    for (size_t i = 0; i < count; i++) {
        strata_migration *m = NULL;
        if (!strata_str_endswith(names[i], ".down.sql"))
            continue;
        if (match_numbered(version, sizeof(version), &name, &nl, names[i], ".down.sql",
                           STRATA_FORMAT_GOLANG, 0) < 0)
            return bad_name(names[i], pattern);
        for (size_t j = 0; j < src->count; j++)
            if (strcmp(src->migs[j].version, version) == 0)
                m = &src->migs[j];
        if (!m) {
            strata__error(STRATA_EINVALID, "source", "'%s' has no matching .up.sql file", names[i]);
            strata__error_at(names[i], 0, 0);
            strata__error_hint("add %.*s.up.sql or remove the down file",
                               (int)(strlen(names[i]) - 9), names[i]);
            return STRATA_EINVALID;
        }
        if ((error = load_down(m, src, names[i])) < 0)
            return error;
    }
    return 0;
}

/* dbmate: <version>_name.sql with -- migrate:up / -- migrate:down. */
static int load_dbmate(strata_source *src, char **names, size_t count)
{
    return load_numbered(src, names, count, STRATA_FORMAT_DBMATE,
                         "<version digits>_name.sql with '-- migrate:up' and '-- migrate:down' sections",
                         "-- migrate:up", "-- migrate:down", 1);
}

/* diesel's run_in_transaction = false in metadata.toml. */
static int diesel_metadata(strata_migration *m, strata_source *src, const char *dir)
{
    strata_buf path = STRATA_BUF_INIT, data = STRATA_BUF_INIT;
    strata_buf_printf(&path, "%s/%s/metadata.toml", src->dir, dir);
    if (strata_fs_isfile(path.ptr) && strata_fs_read(&data, path.ptr) == 0) {
        char *save = NULL;
        for (char *l = strtok_r(data.ptr, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
            char *s = strata_str_trim(l);
            char *eq = strchr(s, '=');
            if (!eq || *s == '#')
                continue;
            *eq = '\0';
            if (strcmp(strata_str_trim(s), "run_in_transaction") == 0 &&
                strcmp(strata_str_trim(eq + 1), "false") == 0)
                m->flags |= STRATA_MIG_NO_TRANSACTION | STRATA_MIG_DOWN_NO_TRANSACTION;
        }
    }
    strata_buf_dispose(&path);
    strata_buf_dispose(&data);
    return 0;
}

/* diesel: <version>_<name>/up.sql + down.sql; version digits and dashes. */
static int load_diesel(strata_source *src, char **names, size_t count)
{
    char version[128];
    const char *name;
    size_t nl;
    int error;
    strata_buf rel = STRATA_BUF_INIT, full = STRATA_BUF_INIT;

    for (size_t i = 0; i < count; i++) {
        strata_path_join(&full, src->dir, names[i]);
        if (!strata_fs_isdir(full.ptr) || strcmp(names[i], "callbacks") == 0)
            continue;  /* callbacks/ holds before_migrate.sql and friends, not migrations */
        strata_buf_clear(&rel);
        strata_buf_printf(&rel, "%s_", names[i]); /* match_numbered wants a suffix */
        if (match_numbered(version, sizeof(version), &name, &nl, rel.ptr, "_",
                           STRATA_FORMAT_DIESEL, 1) < 0) {
            strata_buf_dispose(&rel);
            strata_buf_dispose(&full);
            return bad_name(names[i], "a folder VERSION_name/ (VERSION digits, '-' allowed) "
                                      "holding up.sql and down.sql");
        }
        /* name points into rel, which is rebuilt (and may move) below: use the
         * same bytes of the folder name instead */
        name = names[i] + (name - rel.ptr);
        strata_buf_clear(&rel);
        strata_buf_printf(&rel, "%s/up.sql", names[i]);
        strata_migration *m = add_mig(src, STRATA_KIND_VERSIONED, version, name, nl, rel.ptr);
        if (!m) {
            strata_buf_dispose(&rel);
            strata_buf_dispose(&full);
            return strata__error_oom();
        }
        if ((error = load_up(m, src, NULL, NULL, 0)) < 0)
            goto fail;
        strata_buf_clear(&rel);
        strata_buf_printf(&rel, "%s/%s/down.sql", src->dir, names[i]);
        if (strata_fs_isfile(rel.ptr)) {
            strata_buf_clear(&rel);
            strata_buf_printf(&rel, "%s/down.sql", names[i]);
            if ((error = load_down(m, src, rel.ptr)) < 0)
                goto fail;
        }
        diesel_metadata(m, src, names[i]);
    }
    strata_buf_dispose(&rel);
    strata_buf_dispose(&full);
    return 0;
fail:
    strata_buf_dispose(&rel);
    strata_buf_dispose(&full);
    return error;
}

/* ---- detection and ordering -------------------------------------------- */

static strata_format detect(const char *dir, char **names, size_t count)
{
    strata_buf p = STRATA_BUF_INIT, data = STRATA_BUF_INIT;
    strata_format f = STRATA_FORMAT_NATIVE;

    for (size_t i = 0; i < count; i++) {
        if (strcmp(names[i], "persistent") == 0 || strcmp(names[i], "replaceable") == 0) {
            f = STRATA_FORMAT_SEED;
            goto done;
        }
    }
    for (size_t i = 0; i < count; i++) {
        const char *n = names[i];
        if ((n[0] == 'V' || n[0] == 'U' || n[0] == 'R') && strstr(n, "__") &&
            strata_str_endswith(n, ".sql")) {
            f = STRATA_FORMAT_FLYWAY;
            goto done;
        }
    }
    for (size_t i = 0; i < count; i++) {
        if (strata_str_endswith(names[i], ".up.sql") || strata_str_endswith(names[i], ".down.sql")) {
            f = STRATA_FORMAT_GOLANG;
            goto done;
        }
    }
    for (size_t i = 0; i < count; i++) {
        if (strata_str_endswith(names[i], ".sql"))
            continue;  /* a file; diesel folders are named VERSION_name */
        strata_buf_clear(&p);
        strata_buf_printf(&p, "%s/%s/up.sql", dir, names[i]);
        if (strata_fs_isfile(p.ptr)) {
            f = STRATA_FORMAT_DIESEL;
            goto done;
        }
    }
    /* dbmate files all carry the marker: the first few .sql files tell */
    for (size_t i = 0, seen = 0; i < count && seen < 3; i++) {
        if (!strata_str_endswith(names[i], ".sql"))
            continue;
        seen++;
        strata_buf_clear(&p);
        strata_buf_printf(&p, "%s/%s", dir, names[i]);
        if (strata_fs_read(&data, p.ptr) == 0 &&
            (strata_str_startswith(data.ptr, "-- migrate:up") || strstr(data.ptr, "\n-- migrate:up"))) {
            f = STRATA_FORMAT_DBMATE;
            goto done;
        }
    }
done:
    strata_buf_dispose(&p);
    strata_buf_dispose(&data);
    return f;
}

/* Natural order for repeatables: digit runs compare as numbers. */
static int natural_cmp(const char *a, const char *b)
{
    while (*a && *b) {
        if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
            size_t an = strspn(a, "0123456789"), bn = strspn(b, "0123456789");
            const char *x = a, *y = b;
            size_t xn = an, yn = bn;
            while (xn > 1 && *x == '0') { x++; xn--; }
            while (yn > 1 && *y == '0') { y++; yn--; }
            if (xn != yn)
                return xn < yn ? -1 : 1;
            int c = memcmp(x, y, xn);
            if (c)
                return c;
            a += an;
            b += bn;
        } else {
            if (*a != *b)
                return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
            a++;
            b++;
        }
    }
    return *a ? 1 : *b ? -1 : 0;
}

static _Thread_local strata_format sort_format;

static int cmp_migs(const void *pa, const void *pb)
{
    const strata_migration *a = pa, *b = pb;
    if (a->kind != b->kind)
        return a->kind == STRATA_KIND_VERSIONED ? -1 : 1;
    if (a->kind == STRATA_KIND_VERSIONED) {
        int c = strata_version_compare(sort_format, a->version, b->version);
        return c ? c : strcmp(a->path, b->path);
    }
    return natural_cmp(a->name, b->name);
}

/* Sort, then refuse duplicate versions and unknown requires. */
static int finish(strata_source *src)
{
    sort_format = src->format;
    if (src->count)
        qsort(src->migs, src->count, sizeof(*src->migs), cmp_migs);
    for (size_t i = 1; i < src->count; i++) {
        const strata_migration *a = &src->migs[i - 1], *b = &src->migs[i];
        int dup = a->kind == b->kind &&
                  (a->kind == STRATA_KIND_VERSIONED
                       ? strata_version_compare(src->format, a->version, b->version) == 0
                       : strcmp(a->name, b->name) == 0);
        if (dup) {
            strata__error(STRATA_EINVALID, "source", "%s and %s have the same %s '%s'", a->path,
                          b->path, a->kind == STRATA_KIND_VERSIONED ? "version" : "name",
                          a->kind == STRATA_KIND_VERSIONED ? a->version : a->name);
            strata__error_at(b->path, 0, 0);
            strata__error_hint("give one of them the next free version number");
            return STRATA_EINVALID;
        }
    }
    for (size_t i = 0; i < src->count; i++) {
        strata_migration *m = &src->migs[i];
        for (size_t r = 0; r < m->requires_count; r++) {
            const strata_migration *req = strata_source_find(src, m->requires[r]);
            if (req) {
                /* keep the canonical form: the runner compares versions as recorded */
                ((const char **)m->requires)[r] = req->version;
                continue;
            }
            {
                strata__error(STRATA_EINVALID, "source", "%s requires version %s, which no file has",
                              m->path, m->requires[r]);
                strata__error_at(m->path, 0, 0);
                strata__error_hint("fix the '-- strata:requires' line or add the migration");
                return STRATA_EINVALID;
            }
        }
    }
    return 0;
}

int strata_source_load(strata_source **out, const char *dir, strata_format format)
{
    strata_source *src = NULL;
    char **names = NULL;
    size_t count = 0;
    int error = 0;

    strata_error_clear();
    *out = NULL;
    if (!strata_fs_isdir(dir)) {
        strata__error(STRATA_ENOTFOUND, "source", "migrations folder '%s' does not exist", dir);
        strata__error_hint("run 'strata init', or point to the folder with --migrations DIR "
                           "or [migrations] dir in strata.conf");
        return STRATA_ENOTFOUND;
    }
    if (!(src = strata__calloc(1, sizeof(*src))) || !(src->dir = strata__strdup(dir))) {
        error = strata__error_oom();
        goto done;
    }
    if ((src->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
        error = strata__error(STRATA_ERROR, "source", "cannot open %s: %s", dir, strerror(errno));
        goto done;
    }
    if (strata_fs_list(&names, &count, dir) < 0) {
        error = strata__error(STRATA_ERROR, "source", "cannot list %s: %s", dir, strerror(errno));
        goto done;
    }
    src->format = format == STRATA_FORMAT_AUTO ? detect(dir, names, count) : format;
    switch (src->format) {
    case STRATA_FORMAT_SEED: error = load_seed(src); break;
    case STRATA_FORMAT_FLYWAY: error = load_flyway(src, names, count); break;
    case STRATA_FORMAT_GOLANG: error = load_golang(src, names, count); break;
    case STRATA_FORMAT_DBMATE: error = load_dbmate(src, names, count); break;
    case STRATA_FORMAT_DIESEL: error = load_diesel(src, names, count); break;
    default:
        src->format = STRATA_FORMAT_NATIVE;
        if ((error = load_native(src, names, count)) == 0)
            error = load_repeatables(src, "repeatable", 0);
        break;
    }
    if (error == 0)
        error = finish(src);
done:
    strata_fs_names_free(names, count);
    if (error < 0) {
        /* name the file as the user sees it: inside the migrations folder */
        const strata_error *e = strata_error_last();
        if (e && e->file && !strata_path_isabs(e->file)) {
            strata_buf full = STRATA_BUF_INIT;
            if (strata_path_join(&full, dir, e->file) == 0)
                strata__error_at(full.ptr, e->line, e->column);
            strata_buf_dispose(&full);
        }
        strata_source_free(src);
        return error;
    }
    close(src->dirfd);
    src->dirfd = -1;
    *out = src;
    return 0;
}

void strata_source_free(strata_source *src)
{
    if (!src)
        return;
    if (src->dirfd > 0)
        close(src->dirfd);
    strata_arena_dispose(&src->arena);
    free(src->migs);
    free(src->dir);
    free(src);
}

size_t strata_source_count(const strata_source *src) { return src ? src->count : 0; }

const strata_migration *strata_source_get(const strata_source *src, size_t i)
{
    return src && i < src->count ? &src->migs[i] : NULL;
}

const strata_migration *strata_source_find(const strata_source *src, const char *version)
{
    char canon[128];
    const char *v = version;
    if (strata_version_canonical(canon, sizeof(canon), src->format, version) == 0)
        v = canon;
    for (size_t i = 0; i < src->count; i++) {
        const strata_migration *m = &src->migs[i];
        if (m->kind == STRATA_KIND_VERSIONED && strata_version_compare(src->format, m->version, v) == 0)
            return m;
    }
    return NULL;
}

strata_format strata_source_format(const strata_source *src) { return src->format; }
const char *strata_source_dir(const strata_source *src) { return src->dir; }
