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
        while (*s && !strchr(stops, *s))
            s++;
    }
    strata_buf_puts(out, MASK);
    return s;
}

int strata_url_redact(strata_buf *out, const char *url)
{
    const char *p = url;
    const char *scheme_end = strstr(url, "://");

    strata_buf_clear(out);
    if (scheme_end && !strchr(url, ' ')) {
        /* URI: scheme://[user[:password]@]host/... */
        const char *auth = scheme_end + 3;
        const char *auth_end = auth + strcspn(auth, "/?#");
        const char *at = NULL;
        for (const char *q = auth; q < auth_end; q++)
            if (*q == '@')
                at = q;
        strata_buf_put(out, url, (size_t)(auth - url));
        if (at) {
            const char *colon = memchr(auth, ':', (size_t)(at - auth));
            if (colon) {
                strata_buf_put(out, auth, (size_t)(colon + 1 - auth));
                strata_buf_puts(out, MASK);
            } else {
                strata_buf_put(out, auth, (size_t)(at - auth));
            }
            p = at;
        } else {
            p = auth;
        }
        /* query string: mask password= */
        while (*p) {
            if ((p[-1] == '?' || p[-1] == '&') && strncasecmp(p, "password=", 9) == 0) {
                strata_buf_put(out, p, 9);
                p = mask_value(out, p + 9, "&#");
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
            while (*q == ' ')
                q++;
            if (*q == '=') {
                q++;
                while (*q == ' ')
                    q++;
                strata_buf_puts(out, "password=");
                p = mask_value(out, q, " \t\n");
                continue;
            }
        }
        strata_buf_put(out, p, 1);
        p++;
    }
    return strata_buf_put(out, "", 0);
}
