/*
 * url.c: redaction. Every URL that reaches a message, a log line or an event
 * passes through strata_url_redact first, so a password never leaves the
 * process. Handles URIs (user:pass@host, ?password=) and libpq key=value
 * strings (password=... or password='...').
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>
#include "util.h"

#define MASK "****"

/* Copy the value starting at s (quoted or bare), masked; return the end. */
static const char *mask_value(strata_buf *out, const char *s, const char *stops)
{
    if (*s == '\'') {
        s++;
        while (*s && *s != '\'') {
            if (*s == '\\' && s[1])
                s++;
            s++;
        }
        if (*s == '\'')
            s++;
    } else {
        /* libpq takes "\ " as an escaped space in a bare conninfo value too */
        while (*s && !strchr(stops, *s)) {
            if (*s == '\\' && s[1])
                s++;
            s++;
        }
    }
    strata_buf_puts(out, MASK);
    return s;
}

/*
 * A URI starts with its scheme ("postgres://"); a conninfo string that merely
 * holds "://" somewhere (options='...') does not. Spaces do not decide it:
 * libpq takes "postgres://u:se cret@h/db" as a URI with a password.
 */
static int is_uri(const char *url, const char *scheme_end)
{
    if (!scheme_end || scheme_end == url)
        return 0;
    for (const char *q = url; q < scheme_end; q++)
        if (!isalnum((unsigned char)*q) && *q != '+' && *q != '-' && *q != '.')
            return 0;
    return 1;
}

int strata_url_redact(strata_buf *out, const char *url)
{
    const char *p = url;
    const char *scheme_end = strstr(url, "://");

    strata_buf_clear(out);
    if (is_uri(url, scheme_end)) {
        /* URI: scheme://[user[:password]@]host/... libpq reads a password
         * from the ':' to an '@' even across an unencoded '?', '#' or space,
         * so only the path's '/' bounds it; mask up to the last '@' so a
         * password holding '@' does not leak either. */
        const char *auth = scheme_end + 3;
        const char *auth_end = auth + strcspn(auth, "/");
        const char *at = memchr(auth, '@', (size_t)(auth_end - auth));
        const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
        strata_buf_put(out, url, (size_t)(auth - url));
        if (colon) {
            for (const char *q = at; q < auth_end; q++)
                if (*q == '@')
                    at = q;
            strata_buf_put(out, auth, (size_t)(colon + 1 - auth));
            strata_buf_puts(out, MASK);
            p = at;
        } else if (at) {
            /* user without a password: a later '@' may be in ?password= */
            strata_buf_put(out, auth, (size_t)(at - auth));
            p = at;
        } else {
            p = auth;
        }
        /* query string: mask password= (up to '&' only: libpq has no
         * fragments and keeps a '#' in the value) */
        while (*p) {
            if ((p[-1] == '?' || p[-1] == '&') && strncasecmp(p, "password=", 9) == 0) {
                strata_buf_put(out, p, 9);
                p = mask_value(out, p + 9, "&");
                continue;
            }
            strata_buf_put(out, p, 1);
            p++;
        }
        return out->ptr ? 0 : -1;
    }
    /* key=value conninfo (or a plain path) */
    while (*p) {
        if ((p == url || isspace((unsigned char)p[-1])) && strncasecmp(p, "password", 8) == 0) {
            const char *q = p + 8;
            /* any blank around '=', as libpq allows */
            while (isspace((unsigned char)*q))
                q++;
            if (*q == '=') {
                q++;
                while (isspace((unsigned char)*q))
                    q++;
                strata_buf_puts(out, "password=");
                p = mask_value(out, q, " \t\n\r\f\v");
                continue;
            }
        }
        strata_buf_put(out, p, 1);
        p++;
    }
    return strata_buf_put(out, "", 0);
}
