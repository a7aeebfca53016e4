/*
 * util.h: the small utility layer under libstrata: growable buffers, an
 * arena, string and path helpers, file reading, SHA-256, URL redaction and
 * clocks. It knows nothing of migrations or databases; the library and the
 * CLI both use it.
 */
#ifndef STRATA_UTIL_H
#define STRATA_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include "strata/buf.h"

/* ---- allocation ------------------------------------------------------- */

/* All allocation goes through these so tests can inject failures. */
void *strata__alloc(size_t n);
void *strata__calloc(size_t n, size_t size);
void *strata__realloc(void *p, size_t n);
char *strata__strdup(const char *s);
char *strata__strndup(const char *s, size_t n);

/* Grow "arr" (count "n", capacity "cap") to hold one more element. */
#define STRATA_ARRAY_GROW(arr, n, cap) \
    ((n) < (cap) ? 0 : strata__array_grow((void **)&(arr), &(cap), sizeof(*(arr))))
int strata__array_grow(void **arr, size_t *cap, size_t elem);

/* ---- arena: many small allocations freed together --------------------- */

typedef struct strata_arena_chunk strata_arena_chunk;
typedef struct {
    strata_arena_chunk *head;   /* newest chunk first */
} strata_arena;

void *strata_arena_alloc(strata_arena *a, size_t n);          /* zeroed, 16-aligned */
char *strata_arena_strdup(strata_arena *a, const char *s);    /* NULL in, NULL out */
char *strata_arena_strndup(strata_arena *a, const char *s, size_t n);
char *strata_arena_printf(strata_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void strata_arena_dispose(strata_arena *a);

/* ---- strings ---------------------------------------------------------- */

int strata_str_startswith(const char *s, const char *prefix);
int strata_str_endswith(const char *s, const char *suffix);
/* Trim ASCII whitespace in place; returns s advanced past leading blanks. */
char *strata_str_trim(char *s);
int strata_str_isdigits(const char *s, size_t n);
/* Parse "30s", "5m", "1h", "250ms", "90" (seconds) into milliseconds. -1 if bad. */
long strata_str_duration_ms(const char *s);
/* Convert a free-text name to snake_case ("Create Users!" -> "create_users"). */
int strata_str_snake(strata_buf *out, const char *name);
/* Line number (1-based) of byte "offset" in text. */
unsigned strata_str_line_of(const char *text, size_t offset, unsigned *column);

/* ---- files ------------------------------------------------------------ */

/* Read a whole file, NUL-terminated. Returns 0, or -1 with errno set. */
int strata_fs_read(strata_buf *out, const char *path);
/* Write a file that must not exist yet (O_EXCL). */
int strata_fs_write_new(const char *path, const char *data, size_t len);
int strata_fs_isdir(const char *path);
int strata_fs_isfile(const char *path);
/* Sorted names in a folder (no "." entries). Caller frees with strata_fs_names_free. */
int strata_fs_list(char ***names, size_t *count, const char *dir);
void strata_fs_names_free(char **names, size_t count);
int strata_fs_mkdir_p(const char *path);
/* Join two path parts into out (replacing its contents). */
int strata_path_join(strata_buf *out, const char *a, const char *b);
int strata_path_isabs(const char *p);

/* ---- hashing ---------------------------------------------------------- */

/* Hex SHA-256 (65 bytes with NUL) of data with CRLF folded to LF. */
int strata_sha256_hex_lf(char out[65], const char *data, size_t len);
/* First 8 bytes of SHA-256(data) as a signed 64-bit number (lock keys). */
int64_t strata_sha256_i64(const char *data, size_t len);

/* ---- URLs ------------------------------------------------------------- */

/* Copy of url with any password replaced by "****" (URI user:pass@, ?password=,
 * and key=value password=). Never fails for lack of a password. */
int strata_url_redact(strata_buf *out, const char *url);
/* The first password in url as written (raw, e.g. still percent-encoded), or "". */
int strata_url_secret(strata_buf *out, const char *url);

/* ---- time ------------------------------------------------------------- */

/* Monotonic milliseconds. */
int64_t strata_time_ms(void);
void strata_time_sleep_ms(long ms);
/* Current UTC time as "YYYY-MM-DDTHH:MM:SSZ". */
void strata_time_iso(char out[32]);

#endif
