/*
 * driver.c: the table of drivers, keyed by URL scheme. A URL with no scheme
 * but an '=' is a libpq key=value string. Adding a database is one folder
 * and one row here; there is no dlopen.
 */
#include <string.h>
#include "../strata_int.h"

extern const strata_driver strata_driver_pg;
extern const strata_driver strata_driver_sqlite;

static const struct {
    const char *scheme;          /* prefix, including the ':' */
    const strata_driver *driver;
} schemes[] = {
    { "postgres://", &strata_driver_pg },
    { "postgresql://", &strata_driver_pg },
    { "sqlite:", &strata_driver_sqlite },
    { "sqlite3:", &strata_driver_sqlite },
};

const strata_driver *strata_driver_for_url(const char *url)
{
    for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
        if (strncmp(url, schemes[i].scheme, strlen(schemes[i].scheme)) == 0)
            return schemes[i].driver;
    {
        /* libpq key=value: starts with a keyword and '=' (host=... dbname=...) */
        const char *p = url;
        while (*p == ' ' || *p == '\t')
            p++;
        const char *k = p;
        while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_')
            p++;
        while (*p == ' ' || *p == '\t')
            p++;
        if (p > k && *p == '=')
            return &strata_driver_pg;
    }
    {
        strata_buf red = STRATA_BUF_INIT;
        strata_url_redact(&red, url);
        strata__error(STRATA_EINVALID, "driver", "no driver for database URL '%s'", red.ptr);
        strata__error_hint("use postgres://..., postgresql://..., 'host=... dbname=...', "
                           "sqlite:path or sqlite::memory:");
        strata_buf_dispose(&red);
    }
    return NULL;
}
