/*
 * version.c: how each format's own tool orders versions, and the canonical
 * text strata records in its history.
 *
 *   native, seed, golang-migrate   integers: 2 < 10, "0002" == "2"
 *   flyway                         dotted integers: 1.2 < 1.10, "1_2" == "1.2", 1.0 == 1
 *   dbmate, diesel                 the version string, compared as text
 *
 * Integers may be longer than 64 bits (timestamps with many digits), so they
 * are compared as digit strings: strip leading zeros, longer is larger, then
 * compare bytes.
 */
#include <ctype.h>
#include <string.h>
#include "../strata_int.h"

/* Compare two runs of digits numerically. */
static int cmp_digits(const char *a, size_t an, const char *b, size_t bn)
{
    while (an > 1 && *a == '0') { a++; an--; }
    while (bn > 1 && *b == '0') { b++; bn--; }
    if (an != bn)
        return an < bn ? -1 : 1;
    int c = memcmp(a, b, an);
    return c < 0 ? -1 : c > 0;
}

/*
 * Flyway: parts split on '.' (or '_', as written in file names, so "1_2" is
 * "1.2" here as in strata_version_canonical), each compared as an integer;
 * missing parts are 0.
 */
static int cmp_dotted(const char *a, const char *b)
{
    for (;;) {
        size_t an = strcspn(a, "._"), bn = strcspn(b, "._");
        const char *za = an ? a : "0", *zb = bn ? b : "0";
        int c = cmp_digits(za, an ? an : 1, zb, bn ? bn : 1);
        if (c)
            return c;
        a += an;
        b += bn;
        if (*a == '.' || *a == '_') a++;
        if (*b == '.' || *b == '_') b++;
        if (!*a && !*b)
            return 0;
    }
}

int strata_version_compare(strata_format format, const char *a, const char *b)
{
    int c;
    switch (format) {
    case STRATA_FORMAT_FLYWAY:
        return cmp_dotted(a, b);
    case STRATA_FORMAT_DBMATE:
    case STRATA_FORMAT_DIESEL:
        c = strcmp(a, b);
        return c < 0 ? -1 : c > 0;
    default: {
        /* one pass over each: sorting a thousand files calls this ten thousand times */
        size_t an = strspn(a, "0123456789"), bn = strspn(b, "0123456789");
        if (an && bn && !a[an] && !b[bn])
            return cmp_digits(a, an, b, bn);
        c = strcmp(a, b);
        return c < 0 ? -1 : c > 0;
    }
    }
}

int strata_version_canonical(char *out, size_t outsz, strata_format format, const char *v)
{
    size_t n = strlen(v), o = 0;

    if (n == 0 || n >= outsz)
        return STRATA_EINVALID;
    switch (format) {
    case STRATA_FORMAT_FLYWAY: {
        /* digits separated by '.' or '_'; drop leading zeros of each part and trailing ".0"s */
        const char *p = v;
        while (*p) {
            size_t dn = strspn(p, "0123456789");
            if (dn == 0)
                return STRATA_EINVALID;
            const char *d = p;
            while (dn > 1 && *d == '0') { d++; dn--; }
            if (o)
                out[o++] = '.';
            memcpy(out + o, d, dn);
            o += dn;
            p = d + dn;
            if (*p == '.' || *p == '_') {
                p++;
                if (!*p)
                    return STRATA_EINVALID;
            } else if (*p) {
                return STRATA_EINVALID;
            }
        }
        out[o] = '\0';
        while (o > 2 && strcmp(out + o - 2, ".0") == 0)
            out[o -= 2] = '\0';
        return 0;
    }
    case STRATA_FORMAT_DIESEL:
        /* diesel's own version: the digits with '-' removed */
        for (const char *p = v; *p; p++) {
            if (*p == '-')
                continue;
            if (!isdigit((unsigned char)*p))
                return STRATA_EINVALID;
            out[o++] = *p;
        }
        if (o == 0)
            return STRATA_EINVALID;
        out[o] = '\0';
        return 0;
    case STRATA_FORMAT_DBMATE:
        if (!strata_str_isdigits(v, n))
            return STRATA_EINVALID;
        memcpy(out, v, n + 1);
        return 0;
    default: {
        if (!strata_str_isdigits(v, n))
            return STRATA_EINVALID;
        while (n > 1 && *v == '0') { v++; n--; }
        memcpy(out, v, n + 1);
        return 0;
    }
    }
}

static const char *const format_names[] = {
    [STRATA_FORMAT_AUTO] = "auto",
    [STRATA_FORMAT_NATIVE] = "native",
    [STRATA_FORMAT_SEED] = "seed",
    [STRATA_FORMAT_FLYWAY] = "flyway",
    [STRATA_FORMAT_GOLANG] = "golang-migrate",
    [STRATA_FORMAT_DBMATE] = "dbmate",
    [STRATA_FORMAT_DIESEL] = "diesel",
};
_Static_assert(sizeof(format_names) / sizeof(format_names[0]) == STRATA_FORMAT_DIESEL + 1,
               "every format has a name");

const char *strata_format_name(strata_format f)
{
    return (unsigned)f <= STRATA_FORMAT_DIESEL ? format_names[f] : "unknown";
}

int strata_format_parse(strata_format *out, const char *name)
{
    for (int f = 0; f <= STRATA_FORMAT_DIESEL; f++) {
        if (strcmp(name, format_names[f]) == 0) {
            *out = (strata_format)f;
            return 0;
        }
    }
    if (strcmp(name, "golang") == 0 || strcmp(name, "migrate") == 0) {
        *out = STRATA_FORMAT_GOLANG;
        return 0;
    }
    return strata__error(STRATA_EINVALID, "source",
                         "unknown migrations format '%s'", name),
           strata__error_hint("use one of: auto, native, seed, flyway, golang-migrate, dbmate, diesel"),
           STRATA_EINVALID;
}

const char *strata_kind_name(strata_kind kind)
{
    switch (kind) {
    case STRATA_KIND_VERSIONED: return "versioned";
    case STRATA_KIND_REPEATABLE: return "repeatable";
    case STRATA_KIND_BASELINE: return "baseline";
    case STRATA_KIND_UNDO: return "undo";
    case STRATA_KIND_DELETED: return "deleted";
    }
    return "unknown";
}
