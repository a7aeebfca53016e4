/*
 * jv.h: a read-only JSON tree, parsed in place into an arena.
 *
 * The linter reads every statement's parse tree as libpg_query's JSON. A
 * general library (jansson) spends most of a lint run there: a malloc per
 * value, a hash table per object, a copy of every string. Here a parse is
 * one pass over the text, which it overwrites (strings are unescaped and
 * NUL-terminated where they lie), values live in an arena freed at once,
 * arrays and objects are contiguous, and an object's lookup is a scan of its
 * few members, in the order they were written.
 *
 * Every accessor takes NULL or a value of the wrong type and answers as for
 * a missing value (NULL, 0), so a chain of lookups needs one check at its end.
 */
#ifndef STRATA_UTIL_JV_H
#define STRATA_UTIL_JV_H

#include <stddef.h>
#include "util.h"

typedef enum {
    STRATA_JV_NULL,
    STRATA_JV_FALSE,
    STRATA_JV_TRUE,
    STRATA_JV_INTEGER,
    STRATA_JV_REAL,
    STRATA_JV_STRING,
    STRATA_JV_ARRAY,
    STRATA_JV_OBJECT
} strata_jv_type;

typedef struct strata_jv strata_jv;
typedef struct strata_jv_member strata_jv_member;

struct strata_jv {
    strata_jv_type type;
    size_t n;                       /* elements, members, or a string's bytes */
    union {
        long long i;                /* INTEGER */
        double d;                   /* REAL */
        const char *s;              /* STRING, NUL-terminated (may hold \u0000 before n) */
        strata_jv *items;           /* ARRAY */
        strata_jv_member *members;  /* OBJECT */
    } u;
};

struct strata_jv_member {
    const char *key;
    strata_jv value;
};

/*
 * Parse "text" (NUL-terminated, overwritten) into "arena". The tree points
 * into both, so both must outlive it. NULL when the text is not one JSON
 * value or nests deeper than STRATA_JV_MAX_DEPTH.
 */
#define STRATA_JV_MAX_DEPTH 4096
strata_jv *strata_jv_parse(char *text, strata_arena *arena);

/* The value of "key" in an object; NULL when absent or not an object. */
strata_jv *strata_jv_get(const strata_jv *obj, const char *key);
/* Element "i" of an array; NULL when out of range or not an array. */
strata_jv *strata_jv_at(const strata_jv *arr, size_t i);
/* Elements of an array or members of an object; 0 for anything else. */
size_t strata_jv_size(const strata_jv *v);
/* A string's text; NULL when not a string. */
const char *strata_jv_str(const strata_jv *v);
/* An integer's value; 0 when not an integer. */
long long strata_jv_int(const strata_jv *v);

static inline int strata_jv_is(const strata_jv *v, strata_jv_type type) { return v && v->type == type; }

#define STRATA_JV_ARRAY_FOREACH(arr, idx, val)                                  \
    for ((idx) = 0; (idx) < strata_jv_size(arr) && ((val) = strata_jv_at((arr), (idx))) != NULL; (idx)++)

#define STRATA_JV_OBJECT_FOREACH(obj, idx, k, val)                                          \
    for ((idx) = 0; strata_jv_is((obj), STRATA_JV_OBJECT) && (idx) < (obj)->n &&            \
                    ((k) = (obj)->u.members[idx].key, (val) = &(obj)->u.members[idx].value, 1); \
         (idx)++)

#endif
