/*
 * model_json.c: the model and a diff as JSON (strata inspect --json, strata
 * diff --json). Only this folder and the CLI's output.c speak jansson; the
 * model itself stays plain C data.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "../model/model.h"

int strata_diff_json(strata_buf *out, const strata_diff *d)
{
    json_t *arr = json_array();
    char *s;
    for (size_t i = 0; i < d->count; i++) {
        const strata_change *c = &d->changes[i];
        json_t *o = json_object();
        json_object_set_new(o, "what", json_string(c->what));
        json_object_set_new(o, "up", json_string(c->up));
        json_object_set_new(o, "down", json_string(c->down));
        json_object_set_new(o, "destructive", json_boolean(c->flags & STRATA_CHANGE_DESTRUCTIVE));
        json_object_set_new(o, "recreate", json_boolean(c->flags & STRATA_CHANGE_RECREATE));
        json_object_set_new(o, "no_transaction", json_boolean(c->flags & STRATA_CHANGE_NO_TRANSACTION));
        json_object_set_new(o, "note", c->note ? json_string(c->note) : json_null());
        json_array_append_new(arr, o);
    }
    s = json_dumps(arr, JSON_INDENT(2));
    json_decref(arr);
    if (!s)
        return strata__error_oom();
    strata_buf_puts(out, s);
    strata_buf_puts(out, "\n");
    free(s);
    return 0;
}

static json_t *jstr_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

int strata_schema_json(strata_buf *out, const strata_schema *m)
{
    json_t *root = json_object(), *arr = json_array();
    char *s;
    json_object_set_new(root, "dialect", json_string(m->dialect));
    for (size_t k = 0; k < m->count; k++) {
        const sm_object *o = m->ordered[k];
        json_t *j = json_object();
        json_object_set_new(j, "kind", json_string(strata__kind_name(o->kind)));
        json_object_set_new(j, "key", json_string(o->key));
        json_object_set_new(j, "name", jstr_or_null(o->qname));
        if (o->table)
            json_object_set_new(j, "table", json_string(o->table));
        if (o->def)
            json_object_set_new(j, "definition", json_string(o->def));
        if (o->extra)
            json_object_set_new(j, o->kind == SM_TABLE ? "partition_by" : o->kind == SM_FUNCTION ? "returns" :
                                   o->kind == SM_SEQUENCE ? "owned_by" : "extra", json_string(o->extra));
        if (o->parent && o->kind == SM_TABLE)
            json_object_set_new(j, "partition_of", json_string(o->parent));
        if (o->inherits)
            json_object_set_new(j, "inherits", json_string(o->inherits));
        if (o->options)
            json_object_set_new(j, "options", json_string(o->options));
        if (o->bound && o->kind == SM_TABLE)
            json_object_set_new(j, "bound", json_string(o->bound));
        if (o->kind == SM_TABLE && strcmp(m->dialect, "postgres") == 0) {
            json_object_set_new(j, "unlogged", json_boolean(o->flags & SM_UNLOGGED));
            json_object_set_new(j, "row_security", json_boolean(o->flags & SM_RLS));
            json_object_set_new(j, "force_row_security", json_boolean(o->flags & SM_RLS_FORCE));
        }
        if (o->ncols && o->kind != SM_TYPE) {
            json_t *cols = json_array();
            for (size_t c = 0; c < o->ncols; c++) {
                const sm_column *col = &o->cols[c];
                json_t *jc = json_object();
                json_object_set_new(jc, "name", json_string(col->name));
                json_object_set_new(jc, "type", jstr_or_null(col->type));
                json_object_set_new(jc, "nullable", json_boolean(!col->not_null));
                json_object_set_new(jc, "default", jstr_or_null(col->default_expr));
                if (col->collation)
                    json_object_set_new(jc, "collation", json_string(col->collation));
                if (col->generated)
                    json_object_set_new(jc, "generated", json_string(col->generated));
                if (col->identity)
                    json_object_set_new(jc, "identity", json_string(col->identity == 'a' ? "always" : "by default"));
                if (col->inherited)
                    json_object_set_new(jc, "inherited", json_true());
                if (col->comment)
                    json_object_set_new(jc, "comment", json_string(col->comment));
                json_array_append_new(cols, jc);
            }
            json_object_set_new(j, "columns", cols);
        }
        if (o->kind == SM_TYPE && o->ncols) {
            json_t *cols = json_array();
            for (size_t c = 0; c < o->ncols; c++) {
                json_t *jc = json_object();
                json_object_set_new(jc, "name", jstr_or_null(o->cols[c].name));
                json_object_set_new(jc, "type", jstr_or_null(o->cols[c].type));
                if (o->sub == 'd') {
                    json_object_set_new(jc, "nullable", json_boolean(!o->cols[c].not_null));
                    json_object_set_new(jc, "default", jstr_or_null(o->cols[c].default_expr));
                }
                json_array_append_new(cols, jc);
            }
            json_object_set_new(j, o->sub == 'd' ? "domain" : "attributes", cols);
        }
        if (o->nlabels) {
            json_t *labels = json_array();
            for (size_t i = 0; i < o->nlabels; i++)
                json_array_append_new(labels, json_string(o->labels[i]));
            json_object_set_new(j, "labels", labels);
        }
        if (o->ndeps) {
            json_t *deps = json_array();
            /* by key, so the output does not depend on load order */
            const char **keys = strata__calloc(o->ndeps, sizeof(*keys));
            if (keys) {
                for (size_t i = 0; i < o->ndeps; i++)
                    keys[i] = o->deps[i]->key;
                for (size_t i = 1; i < o->ndeps; i++)
                    for (size_t q = i; q > 0 && strcmp(keys[q - 1], keys[q]) > 0; q--) {
                        const char *t = keys[q];
                        keys[q] = keys[q - 1];
                        keys[q - 1] = t;
                    }
                for (size_t i = 0; i < o->ndeps; i++)
                    json_array_append_new(deps, json_string(keys[i]));
                free(keys);
            }
            json_object_set_new(j, "depends_on", deps);
        }
        if (o->comment)
            json_object_set_new(j, "comment", json_string(o->comment));
        json_array_append_new(arr, j);
    }
    json_object_set_new(root, "objects", arr);
    s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    if (!s)
        return strata__error_oom();
    strata_buf_puts(out, s);
    strata_buf_puts(out, "\n");
    free(s);
    return 0;
}
