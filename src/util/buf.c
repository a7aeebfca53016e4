/*
 * buf.c: strata_buf, the growable NUL-terminated string (git_buf / sds).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util.h"

static int buf_grow(strata_buf *buf, size_t extra)
{
    size_t need = buf->size + extra + 1;
    size_t n;
    char *p;

    if (need <= buf->asize)
        return 0;
    n = buf->asize ? buf->asize : 64;
    while (n < need)
        n *= 2;
    if (!(p = strata__realloc(buf->ptr, n)))
        return -1;
    buf->ptr = p;
    buf->asize = n;
    return 0;
}

int strata_buf_put(strata_buf *buf, const char *data, size_t len)
{
    if (buf_grow(buf, len) < 0)
        return -1;
    if (len)
        memcpy(buf->ptr + buf->size, data, len);
    buf->size += len;
    buf->ptr[buf->size] = '\0';
    return 0;
}

int strata_buf_puts(strata_buf *buf, const char *s) { return strata_buf_put(buf, s, strlen(s)); }

int strata_buf_vprintf(strata_buf *buf, const char *fmt, va_list ap)
{
    va_list cp;
    int n;

    /* format once into the room there is; only a result that does not fit is
     * formatted again after growing */
    va_copy(cp, ap);
    n = vsnprintf(buf->ptr ? buf->ptr + buf->size : NULL, buf->ptr ? buf->asize - buf->size : 0, fmt, cp);
    va_end(cp);
    if (n < 0)
        return -1;
    if (!buf->ptr || buf->size + (size_t)n >= buf->asize) {
        if (buf_grow(buf, (size_t)n) < 0)
            return -1;
        vsnprintf(buf->ptr + buf->size, (size_t)n + 1, fmt, ap);
    }
    buf->size += (size_t)n;
    return 0;
}

int strata_buf_printf(strata_buf *buf, const char *fmt, ...)
{
    va_list ap;
    int r;
    va_start(ap, fmt);
    r = strata_buf_vprintf(buf, fmt, ap);
    va_end(ap);
    return r;
}

void strata_buf_clear(strata_buf *buf)
{
    buf->size = 0;
    if (buf->ptr)
        buf->ptr[0] = '\0';
}

void strata_buf_dispose(strata_buf *buf)
{
    if (!buf)
        return;
    free(buf->ptr);
    buf->ptr = NULL;
    buf->size = buf->asize = 0;
}

const char *strata_buf_cstr(const strata_buf *buf) { return buf->ptr ? buf->ptr : ""; }
