/*
 * model.c: building a schema model and putting it in order.
 *
 * Inspectors add objects (strata__model_add) with their catalog identity and
 * the catalog identities they depend on; strata__model_finish() then sorts the
 * objects by key, resolves those dependencies to objects and computes the
 * dependency order: Kahn's algorithm with a heap, so among objects whose
 * dependencies are met the one of the lowest kind rank (schemas, then
 * extensions, types, functions, sequences, tables...) and then the smallest
 * key comes first. The result depends only on the schema, never on OIDs or
 * catalog order, which is what makes inspect's output byte-identical.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "model.h"

static const char *const kind_names[SM_KIND_COUNT] = {
    "schema", "extension", "type", "function", "sequence", "table",
    "constraint", "index", "view", "materialized view", "trigger", "policy",
};

const char *strata__kind_name(sm_kind kind)
{
    return kind < SM_KIND_COUNT ? kind_names[kind] : "object";
}

strata_schema *strata__model_new(const char *dialect)
{
    strata_schema *m = strata__calloc(1, sizeof(*m));
    if (m)
        m->dialect = dialect;
    return m;
}

void strata_schema_free(strata_schema *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->count; i++)
        free(m->objs[i]->deps);
    free(m->objs);
    free(m->ordered);
    free(m->byoid);
    free(m->pending);
    strata_arena_dispose(&m->arena);
    free(m);
}

size_t strata_schema_count(const strata_schema *m)
{
    return m ? m->count : 0;
}

const char *strata_schema_dialect(const strata_schema *m)
{
    return m ? m->dialect : NULL;
}

char *strata__model_strdup(strata_schema *m, const char *s)
{
    return strata_arena_strdup(&m->arena, s);
}

char *strata__model_printf(strata_schema *m, const char *fmt, ...)
{
    strata_buf b = STRATA_BUF_INIT;
    va_list ap;
    char *s;
    va_start(ap, fmt);
    strata_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    s = strata_arena_strndup(&m->arena, b.ptr ? b.ptr : "", b.size);
    strata_buf_dispose(&b);
    return s;
}

sm_object *strata__model_add(strata_schema *m, sm_kind kind, const char *fmt, ...)
{
    strata_buf b = STRATA_BUF_INIT;
    sm_object *o;
    va_list ap;

    if (STRATA_ARRAY_GROW(m->objs, m->count, m->cap) < 0)
        return NULL;
    o = strata_arena_alloc(&m->arena, sizeof(*o));
    if (!o)
        return NULL;
    va_start(ap, fmt);
    strata_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    o->kind = kind;
    o->key = strata_arena_strndup(&m->arena, b.ptr ? b.ptr : "", b.size);
    strata_buf_dispose(&b);
    if (!o->key)
        return NULL;
    m->objs[m->count++] = o;
    m->sorted = 0;
    return o;
}

/* Key words, by kind: the first word of every key. */
static const char *const key_words[SM_KIND_COUNT] = {
    "schema", "extension", "type", "function", "sequence", "table",
    "constraint", "index", "view", "matview", "trigger", "policy",
};

/* a + sep + b (sep 0: a alone) in the arena, without printf. */
char *strata__model_join(strata_schema *m, const char *a, char sep, const char *b)
{
    size_t la = strlen(a), lb = sep ? strlen(b) : 0;
    char *s = strata_arena_alloc(&m->arena, la + lb + 2);
    if (!s)
        return NULL;
    memcpy(s, a, la);
    if (sep) {
        s[la] = sep;
        memcpy(s + la + 1, b, lb + 1);
    } else {
        s[la] = '\0';
    }
    return s;
}

sm_object *strata__model_add_key(strata_schema *m, sm_kind kind, const char *a, char sep, const char *b)
{
    const char *w = key_words[kind];
    size_t lw = strlen(w), la = strlen(a), lb = sep ? strlen(b) : 0;
    sm_object *o;
    char *key;

    if (STRATA_ARRAY_GROW(m->objs, m->count, m->cap) < 0)
        return NULL;
    o = strata_arena_alloc(&m->arena, sizeof(*o));
    key = strata_arena_alloc(&m->arena, lw + la + lb + 3);
    if (!o || !key)
        return NULL;
    memcpy(key, w, lw);
    key[lw] = ' ';
    memcpy(key + lw + 1, a, la);
    if (sep) {
        key[lw + 1 + la] = sep;
        memcpy(key + lw + 2 + la, b, lb);
    }
    key[lw + 1 + la + (sep ? lb + 1 : 0)] = '\0';
    o->kind = kind;
    o->key = key;
    m->objs[m->count++] = o;
    m->sorted = 0;
    return o;
}

int strata__model_cols(strata_schema *m, sm_object *o, size_t n)
{
    o->ncols = n;
    if (n == 0)
        return 0;
    o->cols = strata_arena_alloc(&m->arena, n * sizeof(sm_column));
    return o->cols ? 0 : strata__error_oom();
}

int strata__model_dep(strata_schema *m, sm_object *from, sm_object *to)
{
    (void)m;
    if (!to || to == from)
        return 0;
    for (size_t i = 0; i < from->ndeps; i++)
        if (from->deps[i] == to)
            return 0;
    if (STRATA_ARRAY_GROW(from->deps, from->ndeps, from->capdeps) < 0)
        return strata__error_oom();
    from->deps[from->ndeps++] = to;
    return 0;
}

/* ---- catalog identity: open addressing on (classid, oid) ---------------- */

static size_t oid_slot(unsigned classid, unsigned oid, size_t cap)
{
    uint64_t h = ((uint64_t)classid << 32 | oid) * 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 17) & (cap - 1);
}

static int oid_rehash(strata_schema *m)
{
    size_t cap = m->byoid_cap ? m->byoid_cap * 2 : 1024;
    sm_object **t = strata__calloc(cap, sizeof(*t));
    if (!t)
        return strata__error_oom();
    for (size_t i = 0; i < m->byoid_cap; i++) {
        sm_object *o = m->byoid[i];
        if (!o)
            continue;
        size_t s = oid_slot(o->classid, o->oid, cap);
        while (t[s])
            s = (s + 1) & (cap - 1);
        t[s] = o;
    }
    free(m->byoid);
    m->byoid = t;
    m->byoid_cap = cap;
    return 0;
}

int strata__model_set_oid(strata_schema *m, sm_object *o, unsigned classid, unsigned oid)
{
    size_t s;
    if (m->count * 2 >= m->byoid_cap && oid_rehash(m) < 0)
        return STRATA_ERROR;
    o->classid = classid;
    o->oid = oid;
    s = oid_slot(classid, oid, m->byoid_cap);
    while (m->byoid[s])
        s = (s + 1) & (m->byoid_cap - 1);
    m->byoid[s] = o;
    return 0;
}

sm_object *strata__model_by_oid(strata_schema *m, unsigned classid, unsigned oid)
{
    if (!m->byoid_cap)
        return NULL;
    for (size_t s = oid_slot(classid, oid, m->byoid_cap); m->byoid[s]; s = (s + 1) & (m->byoid_cap - 1))
        if (m->byoid[s]->classid == classid && m->byoid[s]->oid == oid)
            return m->byoid[s];
    return NULL;
}

int strata__model_dep_oid(strata_schema *m, sm_object *from, unsigned classid, unsigned oid)
{
    if (STRATA_ARRAY_GROW(m->pending, m->npending, m->cappending) < 0)
        return strata__error_oom();
    m->pending[m->npending].from = from;
    m->pending[m->npending].classid = classid;
    m->pending[m->npending].oid = oid;
    m->npending++;
    return 0;
}

/* ---- order --------------------------------------------------------------- */

static int key_cmp(const void *a, const void *b)
{
    return strcmp((*(sm_object *const *)a)->key, (*(sm_object *const *)b)->key);
}

/* Heap order: lower kind rank first, then key order (objects are already key-sorted,
 * so the index is the key rank). */
static int before(const sm_object *a, const sm_object *b)
{
    if (a->kind != b->kind)
        return a->kind < b->kind;
    return a->index < b->index;
}

static void heap_push(sm_object **h, size_t *n, sm_object *o)
{
    size_t i = (*n)++;
    h[i] = o;
    while (i > 0 && before(h[i], h[(i - 1) / 2])) {
        sm_object *t = h[i];
        h[i] = h[(i - 1) / 2];
        h[(i - 1) / 2] = t;
        i = (i - 1) / 2;
    }
}

static sm_object *heap_pop(sm_object **h, size_t *n)
{
    sm_object *top = h[0];
    size_t i = 0;
    h[0] = h[--(*n)];
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < *n && before(h[l], h[m]))
            m = l;
        if (r < *n && before(h[r], h[m]))
            m = r;
        if (m == i)
            break;
        sm_object *t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
    return top;
}

static int topo_order(strata_schema *m)
{
    size_t n = m->count, nheap = 0, done = 0;
    size_t *waiting = strata__calloc(n ? n : 1, sizeof(size_t));   /* unmet deps per object */
    size_t *rstart = strata__calloc(n + 1, sizeof(size_t));          /* reverse edges, CSR */
    size_t *redges = NULL, nedges = 0;
    sm_object **heap = strata__calloc(n ? n : 1, sizeof(*heap));
    char *placed = strata__calloc(n ? n : 1, 1);
    int error = 0;

    m->ordered = strata__calloc(n ? n : 1, sizeof(*m->ordered));
    if (!waiting || !rstart || !heap || !placed || !m->ordered) {
        error = strata__error_oom();
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        waiting[i] = m->objs[i]->ndeps;
        nedges += m->objs[i]->ndeps;
        for (size_t d = 0; d < m->objs[i]->ndeps; d++)
            rstart[m->objs[i]->deps[d]->index + 1]++;
    }
    for (size_t i = 0; i < n; i++)
        rstart[i + 1] += rstart[i];
    redges = strata__calloc(nedges ? nedges : 1, sizeof(size_t));
    if (!redges) {
        error = strata__error_oom();
        goto done;
    }
    {
        size_t *fill = strata__calloc(n ? n : 1, sizeof(size_t));
        if (!fill) {
            error = strata__error_oom();
            goto done;
        }
        for (size_t i = 0; i < n; i++)
            for (size_t d = 0; d < m->objs[i]->ndeps; d++) {
                size_t t = m->objs[i]->deps[d]->index;
                redges[rstart[t] + fill[t]++] = i;
            }
        free(fill);
    }
    for (size_t i = 0; i < n; i++)
        if (!waiting[i])
            heap_push(heap, &nheap, m->objs[i]);
    while (done < n) {
        sm_object *o;
        if (!nheap) {
            /* a cycle: take the first object not placed yet and go on (the SQL
             * for it may then need its dependencies' deferred parts) */
            for (size_t i = 0; i < n; i++)
                if (!placed[i]) {
                    waiting[i] = 0;
                    heap_push(heap, &nheap, m->objs[i]);
                    break;
                }
        }
        o = heap_pop(heap, &nheap);
        if (placed[o->index])
            continue;
        placed[o->index] = 1;
        o->order = done;
        m->ordered[done++] = o;
        for (size_t e = rstart[o->index]; e < rstart[o->index + 1]; e++) {
            size_t t = redges[e];
            if (!placed[t] && waiting[t] && --waiting[t] == 0)
                heap_push(heap, &nheap, m->objs[t]);
        }
    }
done:
    free(waiting);
    free(rstart);
    free(redges);
    free(heap);
    free(placed);
    return error;
}

int strata__model_sort(strata_schema *m)
{
    if (m->sorted && !m->npending)
        return 0;
    for (size_t i = 0; i < m->npending; i++) {
        sm_object *to = strata__model_by_oid(m, m->pending[i].classid, m->pending[i].oid);
        if (to && strata__model_dep(m, m->pending[i].from, to) < 0)
            return STRATA_ERROR;
    }
    free(m->pending);
    m->pending = NULL;
    m->npending = m->cappending = 0;
    if (m->count)
        qsort(m->objs, m->count, sizeof(*m->objs), key_cmp);
    for (size_t i = 0; i < m->count; i++)
        m->objs[i]->index = i;
    m->sorted = 1;
    return 0;
}

int strata__model_finish(strata_schema *m)
{
    int error = strata__model_sort(m);
    if (!error) {
        free(m->ordered);
        m->ordered = NULL;
        error = topo_order(m);
    }
    return error;
}

sm_object *strata__model_find(const strata_schema *m, const char *key)
{
    size_t lo = 0, hi = m->count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(m->objs[mid]->key, key);
        if (c == 0)
            return m->objs[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

int strata__changes_add(sm_changes *c, const char *what, const char *up, const char *down,
                        unsigned flags, const char *note)
{
    strata_change *ch;
    if (STRATA_ARRAY_GROW(c->changes, c->count, c->cap) < 0)
        return strata__error_oom();
    ch = &c->changes[c->count];
    ch->what = strata_arena_strdup(c->arena, what);
    ch->up = strata_arena_strdup(c->arena, up ? up : "");
    ch->down = strata_arena_strdup(c->arena, down ? down : "");
    ch->note = note ? strata_arena_strdup(c->arena, note) : NULL;
    ch->flags = flags;
    if (!ch->what || !ch->up || !ch->down)
        return strata__error_oom();
    c->count++;
    return 0;
}
