/*
 * alloc.c: the one place memory is obtained, plus the arena. Routing every
 * allocation through strata__alloc lets tests inject failures later; the
 * arena lets a report or a source hold thousands of small strings and free
 * them in one call.
 */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include "util.h"

void *strata__alloc(size_t n) { return malloc(n ? n : 1); }
void *strata__calloc(size_t n, size_t size) { return calloc(n ? n : 1, size ? size : 1); }
void *strata__realloc(void *p, size_t n) { return realloc(p, n ? n : 1); }

char *strata__strndup(const char *s, size_t n)
{
    char *d = strata__alloc(n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *strata__strdup(const char *s) { return s ? strata__strndup(s, strlen(s)) : NULL; }

int strata__array_grow(void **arr, size_t *cap, size_t elem)
{
    size_t ncap = *cap ? *cap * 2 : 8;
    void *p = strata__realloc(*arr, ncap * elem);
    if (!p)
        return -1;
    *arr = p;
    *cap = ncap;
    return 0;
}

/* ---- arena ------------------------------------------------------------ */

struct strata_arena_chunk {
    strata_arena_chunk *next;
    size_t used;
    size_t size;
    max_align_t data[];  /* aligned payload */
};

#define ARENA_CHUNK 16384

void *strata_arena_alloc(strata_arena *a, size_t n)
{
    strata_arena_chunk *c = a->head;
    /* rounding up and the chunk header must not wrap a huge n to a small size */
    if (n > SIZE_MAX - sizeof(*c) - 15)
        return NULL;
    n = (n + 15) & ~(size_t)15;
    if (!c || c->size - c->used < n) {
        size_t size = n > ARENA_CHUNK ? n : ARENA_CHUNK;
        c = strata__alloc(sizeof(*c) + size);
        if (!c)
            return NULL;
        c->size = size;
        c->used = 0;
        c->next = a->head;
        a->head = c;
    }
    void *p = (char *)c->data + c->used;
    c->used += n;
    memset(p, 0, n);
    return p;
}

char *strata_arena_strndup(strata_arena *a, const char *s, size_t n)
{
    char *d;
    if (!s)
        return NULL;
    if (!(d = strata_arena_alloc(a, n + 1)))
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *strata_arena_strdup(strata_arena *a, const char *s)
{
    return s ? strata_arena_strndup(a, s, strlen(s)) : NULL;
}

char *strata_arena_printf(strata_arena *a, const char *fmt, ...)
{
    va_list ap;
    char small[256];
    int n;
    char *d;

    va_start(ap, fmt);
    n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    if (!(d = strata_arena_alloc(a, (size_t)n + 1)))
        return NULL;
    if ((size_t)n < sizeof(small)) {
        memcpy(d, small, (size_t)n + 1);
    } else {
        va_start(ap, fmt);
        vsnprintf(d, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    return d;
}

void strata_arena_dispose(strata_arena *a)
{
    strata_arena_chunk *c = a->head;
    while (c) {
        strata_arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    a->head = NULL;
}
