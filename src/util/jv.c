/*
 * jv.c: the read-only JSON tree of jv.h.
 *
 * Recursive descent over the text. A container's children are collected on
 * one scratch stack shared by every level (a member's key is NULL inside an
 * array); when the container closes, its slice of the stack is copied into
 * the arena as one contiguous block and popped. So the arena holds exactly
 * the tree, and the stack only ever grows to the widest open path.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "jv.h"

typedef struct {
    char *p;                    /* next byte to read */
    strata_arena *arena;
    strata_jv_member *stack;    /* children of the open containers */
    size_t top, cap;
    int depth;
} parser;

static void skip_ws(parser *ps)
{
    while (*ps->p == ' ' || *ps->p == '\n' || *ps->p == '\t' || *ps->p == '\r')
        ps->p++;
}

static int hex4(const char *s, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        v <<= 4;
        if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
        else return -1;
    }
    *out = v;
    return 0;
}

static char *put_utf8(char *w, unsigned cp)
{
    if (cp < 0x80) {
        *w++ = (char)cp;
    } else if (cp < 0x800) {
        *w++ = (char)(0xC0 | (cp >> 6));
        *w++ = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *w++ = (char)(0xE0 | (cp >> 12));
        *w++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *w++ = (char)(0x80 | (cp & 0x3F));
    } else {
        *w++ = (char)(0xF0 | (cp >> 18));
        *w++ = (char)(0x80 | ((cp >> 12) & 0x3F));
        *w++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *w++ = (char)(0x80 | (cp & 0x3F));
    }
    return w;
}

/*
 * A string whose opening quote is behind ps->p: unescaped where it lies (the
 * text only shrinks: every escape is at least as long as what it stands for)
 * and NUL-terminated over the closing quote or earlier.
 */
static int parse_string(parser *ps, const char **out, size_t *len)
{
    char *start = ps->p, *r = ps->p, *w;

    while (*r != '"' && *r != '\\') {
        if ((unsigned char)*r < 0x20)
            return -1;          /* control characters (and the end of the text) */
        r++;
    }
    w = r;
    while (*r != '"') {
        if ((unsigned char)*r < 0x20)
            return -1;
        if (*r != '\\') {
            *w++ = *r++;
            continue;
        }
        r++;
        switch (*r++) {
        case '"': *w++ = '"'; break;
        case '\\': *w++ = '\\'; break;
        case '/': *w++ = '/'; break;
        case 'b': *w++ = '\b'; break;
        case 'f': *w++ = '\f'; break;
        case 'n': *w++ = '\n'; break;
        case 'r': *w++ = '\r'; break;
        case 't': *w++ = '\t'; break;
        case 'u': {
            unsigned cp, lo;
            if (hex4(r, &cp) < 0)
                return -1;
            r += 4;
            if (cp >= 0xD800 && cp < 0xDC00) {
                if (r[0] != '\\' || r[1] != 'u' || hex4(r + 2, &lo) < 0 || lo < 0xDC00 || lo >= 0xE000)
                    return -1;
                r += 6;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else if (cp >= 0xDC00 && cp < 0xE000) {
                return -1;
            }
            w = put_utf8(w, cp);
            break;
        }
        default:
            return -1;
        }
    }
    *w = '\0';
    *out = start;
    *len = (size_t)(w - start);
    ps->p = r + 1;
    return 0;
}

static int parse_number(parser *ps, strata_jv *v)
{
    char *s = ps->p, *q = s;
    unsigned long long acc = 0;
    int neg = 0, overflow = 0;

    if (*q == '-') {
        neg = 1;
        q++;
    }
    if (*q < '0' || *q > '9' || (*q == '0' && q[1] >= '0' && q[1] <= '9'))
        return -1;
    for (; *q >= '0' && *q <= '9'; q++) {
        unsigned d = (unsigned)(*q - '0');
        if (acc > (9223372036854775807ULL + (unsigned)neg - d) / 10)
            overflow = 1;
        else
            acc = acc * 10 + d;
    }
    if (*q != '.' && *q != 'e' && *q != 'E' && !overflow) {
        v->type = STRATA_JV_INTEGER;
        v->u.i = neg ? (long long)(0 - acc) : (long long)acc;
        ps->p = q;
        return 0;
    }
    errno = 0;
    v->u.d = strtod(s, &q);
    if (q == s || errno == ERANGE)
        return -1;
    v->type = STRATA_JV_REAL;
    ps->p = q;
    return 0;
}

static int push(parser *ps, const char *key)
{
    if (ps->top == ps->cap) {
        size_t cap = ps->cap ? ps->cap * 2 : 256;
        strata_jv_member *grown = strata__realloc(ps->stack, cap * sizeof(*grown));
        if (!grown)
            return -1;
        ps->stack = grown;
        ps->cap = cap;
    }
    ps->stack[ps->top].key = key;
    memset(&ps->stack[ps->top].value, 0, sizeof(strata_jv));
    ps->top++;
    return 0;
}

static int parse_value(parser *ps, strata_jv *v);

/* An array or object whose bracket is behind ps->p; "close" ends it. */
static int parse_container(parser *ps, strata_jv *v, char close)
{
    size_t base = ps->top, n;
    int object = close == '}';

    if (++ps->depth > STRATA_JV_MAX_DEPTH)
        return -1;
    skip_ws(ps);
    if (*ps->p == close) {
        ps->p++;
    } else {
        for (;;) {
            const char *key = NULL;
            size_t keylen;
            skip_ws(ps);
            if (object) {
                if (*ps->p != '"')
                    return -1;
                ps->p++;
                if (parse_string(ps, &key, &keylen) < 0)
                    return -1;
                skip_ws(ps);
                if (*ps->p++ != ':')
                    return -1;
            }
            if (push(ps, key) < 0)
                return -1;
            /* not a pointer into the stack: a child's own children may move it */
            {
                strata_jv child;
                memset(&child, 0, sizeof(child));
                if (parse_value(ps, &child) < 0)
                    return -1;
                ps->stack[ps->top - 1].value = child;
            }
            skip_ws(ps);
            if (*ps->p == ',') {
                ps->p++;
                continue;
            }
            if (*ps->p++ != close)
                return -1;
            break;
        }
    }
    n = ps->top - base;
    v->type = object ? STRATA_JV_OBJECT : STRATA_JV_ARRAY;
    v->n = n;
    if (n) {
        if (object) {
            v->u.members = strata_arena_alloc(ps->arena, n * sizeof(strata_jv_member));
            if (!v->u.members)
                return -1;
            memcpy(v->u.members, ps->stack + base, n * sizeof(strata_jv_member));
        } else {
            v->u.items = strata_arena_alloc(ps->arena, n * sizeof(strata_jv));
            if (!v->u.items)
                return -1;
            for (size_t i = 0; i < n; i++)
                v->u.items[i] = ps->stack[base + i].value;
        }
    }
    ps->top = base;
    ps->depth--;
    return 0;
}

static int literal(parser *ps, const char *word, size_t len, strata_jv *v, strata_jv_type type)
{
    if (strncmp(ps->p, word, len) != 0)
        return -1;
    ps->p += len;
    v->type = type;
    return 0;
}

static int parse_value(parser *ps, strata_jv *v)
{
    skip_ws(ps);
    switch (*ps->p) {
    case '{':
        ps->p++;
        return parse_container(ps, v, '}');
    case '[':
        ps->p++;
        return parse_container(ps, v, ']');
    case '"':
        ps->p++;
        v->type = STRATA_JV_STRING;
        return parse_string(ps, &v->u.s, &v->n);
    case 't':
        return literal(ps, "true", 4, v, STRATA_JV_TRUE);
    case 'f':
        return literal(ps, "false", 5, v, STRATA_JV_FALSE);
    case 'n':
        return literal(ps, "null", 4, v, STRATA_JV_NULL);
    default:
        return parse_number(ps, v);
    }
}

strata_jv *strata_jv_parse(char *text, strata_arena *arena)
{
    parser ps = {.p = text, .arena = arena};
    strata_jv *root = NULL;
    strata_jv v;

    memset(&v, 0, sizeof(v));
    if (!text || parse_value(&ps, &v) < 0)
        goto done;
    skip_ws(&ps);
    if (*ps.p != '\0')
        goto done;
    root = strata_arena_alloc(arena, sizeof(*root));
    if (root)
        *root = v;
done:
    free(ps.stack);
    return root;
}

strata_jv *strata_jv_get(const strata_jv *obj, const char *key)
{
    if (!strata_jv_is(obj, STRATA_JV_OBJECT))
        return NULL;
    for (size_t i = 0; i < obj->n; i++)
        if (strcmp(obj->u.members[i].key, key) == 0)
            return &obj->u.members[i].value;
    return NULL;
}

strata_jv *strata_jv_at(const strata_jv *arr, size_t i)
{
    return strata_jv_is(arr, STRATA_JV_ARRAY) && i < arr->n ? &arr->u.items[i] : NULL;
}

size_t strata_jv_size(const strata_jv *v)
{
    return strata_jv_is(v, STRATA_JV_ARRAY) || strata_jv_is(v, STRATA_JV_OBJECT) ? v->n : 0;
}

const char *strata_jv_str(const strata_jv *v)
{
    return strata_jv_is(v, STRATA_JV_STRING) ? v->u.s : NULL;
}

long long strata_jv_int(const strata_jv *v)
{
    return strata_jv_is(v, STRATA_JV_INTEGER) ? v->u.i : 0;
}
