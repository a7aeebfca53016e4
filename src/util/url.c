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

/* Is the text at p a password key ("password=", "sslpassword=")? Returns its length. */
static size_t password_key(const char *p)
{
    if (strncasecmp(p, "password", 8) == 0)
        return 8;
    if (strncasecmp(p, "sslpassword", 11) == 0)
        return 11;
    return 0;
}

/*
 * Mask user:password@ in "auth" (the text after "scheme://", or a whole
 * scheme-less "user:pass@host/db"). libpq stops the user info at the first
 * '/', but a password holding '/', '?', '#' or '@' must not leak through a
 * message either: mask from the first ':' to the LAST '@' of the string
 * (over-masking a host is harmless). Returns where copying resumes.
 */
static const char *mask_userinfo(strata_buf *out, const char *auth)
{
    const char *at = strrchr(auth, '@');
    const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
    if (colon) {
        strata_buf_put(out, auth, (size_t)(colon + 1 - auth));
        strata_buf_puts(out, MASK);
        return at;
    }
    return auth;
}

int strata_url_redact(strata_buf *out, const char *url)
{
    const char *p = url;
    const char *scheme_end = strstr(url, "://");

    strata_buf_clear(out);
    if (is_uri(url, scheme_end)) {
        strata_buf_put(out, url, (size_t)(scheme_end + 3 - url));
        p = mask_userinfo(out, scheme_end + 3);
        /* query string: mask password= and sslpassword= (up to '&' only: libpq
         * has no fragments and keeps a '#' in the value) */
        while (*p) {
            size_t k;
            if ((p[-1] == '?' || p[-1] == '&') && (k = password_key(p)) && p[k] == '=') {
                strata_buf_put(out, p, k + 1);
                p = mask_value(out, p + k + 1, "&");
                continue;
            }
            strata_buf_put(out, p, 1);
            p++;
        }
        return out->ptr ? 0 : -1;
    }
    if (!strchr(url, '=') && strchr(url, '@')) {
        /* no scheme and no key=value: "user:pass@host/db" */
        p = mask_userinfo(out, url);
        strata_buf_puts(out, p);
        return strata_buf_put(out, "", 0);
    }
    /* key=value conninfo (or a plain path) */
    while (*p) {
        size_t k;
        if ((p == url || isspace((unsigned char)p[-1])) && (k = password_key(p))) {
            const char *q = p + k;
            /* any blank around '=', as libpq allows */
            while (isspace((unsigned char)*q))
                q++;
            if (*q == '=') {
                q++;
                while (isspace((unsigned char)*q))
                    q++;
                strata_buf_put(out, p, k);
                strata_buf_puts(out, "=");
                p = mask_value(out, q, " \t\n\r\f\v");
                continue;
            }
        }
        strata_buf_put(out, p, 1);
        p++;
    }
    return strata_buf_put(out, "", 0);
}

int strata_url_secret(strata_buf *out, const char *url)
{
    /* the password text exactly as written (percent-escapes and all), so a
     * message that quotes it can be scrubbed: the URI user info's, else the
     * first password= value */
    const char *scheme_end = strstr(url, "://");
    const char *auth = is_uri(url, scheme_end) ? scheme_end + 3
                       : !strchr(url, '=') ? url : NULL;

    strata_buf_clear(out);
    if (auth) {
        const char *at = strrchr(auth, '@');
        const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
        if (colon && at > colon + 1)
            return strata_buf_put(out, colon + 1, (size_t)(at - colon - 1));
    }
    for (const char *p = url; *p; p++) {
        size_t k = password_key(p);
        if (k && (p == url || p[-1] == '?' || p[-1] == '&' || isspace((unsigned char)p[-1]))) {
            const char *v = p + k, *e;
            while (isspace((unsigned char)*v))
                v++;
            if (*v != '=')
                continue;
            v++;
            while (isspace((unsigned char)*v))
                v++;
            if (*v == '\'') {
                v++;
                e = strchr(v, '\'');
            } else {
                e = v + strcspn(v, "& \t\n");
            }
            if (!e)
                e = v + strlen(v);
            if (e > v)
                return strata_buf_put(out, v, (size_t)(e - v));
        }
    }
    return strata_buf_put(out, "", 0);
}
