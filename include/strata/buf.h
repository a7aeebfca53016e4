/*
 * strata/buf.h: the growable, always NUL-terminated string that crosses the API.
 * The library never hands back a bare malloc'd char *; it fills a strata_buf the
 * caller owns and cleans with strata_buf_dispose().
 */
#ifndef STRATA_BUF_H
#define STRATA_BUF_H

#include <stdarg.h>
#include "common.h"

typedef struct {
    char *ptr;     /**< the bytes, NUL-terminated once anything is written */
    size_t size;   /**< bytes used, not counting the NUL */
    size_t asize;  /**< bytes allocated */
} strata_buf;

#define STRATA_BUF_INIT { NULL, 0, 0 }

/** Append len bytes. Returns 0 or STRATA_ERROR on out of memory. */
STRATA_EXTERN int strata_buf_put(strata_buf *buf, const char *data, size_t len);
/** Append a C string. */
STRATA_EXTERN int strata_buf_puts(strata_buf *buf, const char *s);
/** Append printf-style. */
STRATA_EXTERN int strata_buf_printf(strata_buf *buf, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
STRATA_EXTERN int strata_buf_vprintf(strata_buf *buf, const char *fmt, va_list ap);
/** Empty the buffer, keeping its memory. */
STRATA_EXTERN void strata_buf_clear(strata_buf *buf);
/** Free the contents (not the struct). Accepts an empty buffer. */
STRATA_EXTERN void strata_buf_dispose(strata_buf *buf);
/** The contents, or "" when nothing was written. Borrowed. */
STRATA_EXTERN const char *strata_buf_cstr(const strata_buf *buf);

#endif
