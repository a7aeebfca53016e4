/*
 * tabledef.c: seed 002's JSON table definitions as SQL.
 *
 *   { "tableName": "t", "columns": [ { "name", "type", "primaryKey", "nullable",
 *     "defaultValue", "unique" } ], "indexes": [ { "name", "columns", "type", "unique" } ] }
 *
 * also wrapped as { "schemaJson": { ... } } the way requests carry it. The
 * SQL is one statement per line (lint findings point at a line of it) and is
 * run on a scratch database by desired-state loading, so the database checks
 * types and defaults; this file only checks the shape.
 */
#include <jansson.h>
#include <string.h>
#include "../strata_int.h"

static const char *jstr(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* "name" as a quoted identifier; a dotted name is schema.table */
static void ident(strata_buf *b, const char *name)
{
    const char *dot = strchr(name, '.');
    if (dot) {
        strata_buf_put(b, "\"", 1);
        strata_buf_put(b, name, (size_t)(dot - name));
        strata_buf_put(b, "\".", 2);
        name = dot + 1;
    }
    strata_buf_put(b, "\"", 1);
    for (const char *p = name; *p; p++) {
        if (*p == '"')
            strata_buf_put(b, "\"", 1);
        strata_buf_put(b, p, 1);
    }
    strata_buf_put(b, "\"", 1);
}

static int bad(const char *path, const char *what)
{
    strata__error(STRATA_EINVALID, "schema", "%s: %s", path, what);
    strata__error_at(path, 1, 1);
    strata__error_hint("a table definition is {\"tableName\": \"t\", \"columns\": [{\"name\": \"id\", "
                       "\"type\": \"UUID\", \"primaryKey\": true}], \"indexes\": [...]}");
    return STRATA_EINVALID;
}

int strata__tabledef_sql(strata_buf *out, const char *path, const char *text)
{
    json_error_t jerr;
    json_t *root = json_loads(text, 0, &jerr), *def, *cols, *idx;
    const char *table;
    size_t npk = 0;
    int error = 0;

    if (!root) {
        error = strata__error(STRATA_EINVALID, "schema", "%s is not valid JSON: %s", path, jerr.text);
        strata__error_at(path, jerr.line, jerr.column);
        return error;
    }
    def = json_object_get(root, "schemaJson") ? json_object_get(root, "schemaJson") : root;
    table = jstr(def, "tableName");
    cols = json_object_get(def, "columns");
    if (!table || !*table || !json_is_array(cols) || json_array_size(cols) == 0) {
        error = bad(path, "expected a table definition with \"tableName\" and a non-empty \"columns\" array");
        goto done;
    }
    for (size_t i = 0; i < json_array_size(cols); i++) {
        json_t *c = json_array_get(cols, i);
        if (!jstr(c, "name") || !jstr(c, "type")) {
            strata_buf msg = STRATA_BUF_INIT;
            strata_buf_printf(&msg, "column %zu needs a \"name\" and a \"type\"", i + 1);
            error = bad(path, msg.ptr);
            strata_buf_dispose(&msg);
            goto done;
        }
        npk += json_is_true(json_object_get(c, "primaryKey"));
    }
    strata_buf_puts(out, "CREATE TABLE ");
    ident(out, table);
    strata_buf_puts(out, " (");
    for (size_t i = 0; i < json_array_size(cols); i++) {
        json_t *c = json_array_get(cols, i);
        const char *dv = jstr(c, "defaultValue");
        strata_buf_puts(out, i ? ", " : "");
        ident(out, jstr(c, "name"));
        strata_buf_printf(out, " %s", jstr(c, "type"));
        if (npk == 1 && json_is_true(json_object_get(c, "primaryKey")))
            strata_buf_puts(out, " PRIMARY KEY");
        else if (json_is_false(json_object_get(c, "nullable")))
            strata_buf_puts(out, " NOT NULL");
        if (json_is_true(json_object_get(c, "unique")))
            strata_buf_puts(out, " UNIQUE");
        if (dv)
            strata_buf_printf(out, " DEFAULT %s", dv);
    }
    if (npk > 1) {
        strata_buf_puts(out, ", PRIMARY KEY (");
        for (size_t i = 0, k = 0; i < json_array_size(cols); i++)
            if (json_is_true(json_object_get(json_array_get(cols, i), "primaryKey"))) {
                strata_buf_puts(out, k++ ? ", " : "");
                ident(out, jstr(json_array_get(cols, i), "name"));
            }
        strata_buf_puts(out, ")");
    }
    strata_buf_puts(out, ");\n");
    idx = json_object_get(def, "indexes");
    for (size_t i = 0; i < json_array_size(idx); i++) {
        json_t *x = json_array_get(idx, i), *xc = json_object_get(x, "columns");
        const char *name = jstr(x, "name"), *method = jstr(x, "type");
        if (!json_is_array(xc) || json_array_size(xc) == 0) {
            error = bad(path, "an index needs a non-empty \"columns\" array");
            goto done;
        }
        strata_buf_printf(out, "CREATE %sINDEX ", json_is_true(json_object_get(x, "unique")) ? "UNIQUE " : "");
        if (name) {
            ident(out, name);
            strata_buf_puts(out, " ");
        }
        strata_buf_puts(out, "ON ");
        ident(out, table);
        strata_buf_printf(out, " USING %s (", method ? method : "btree");
        for (size_t j = 0; j < json_array_size(xc); j++) {
            const char *col = json_string_value(json_array_get(xc, j));
            if (!col) {
                error = bad(path, "index columns are names (strings)");
                goto done;
            }
            strata_buf_puts(out, j ? ", " : "");
            ident(out, col);
        }
        strata_buf_puts(out, ");\n");
    }
done:
    json_decref(root);
    return error;
}
