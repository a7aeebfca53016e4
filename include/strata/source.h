/*
 * strata/source.h: a migrations folder read into one ordered list.
 *
 * strata reads the formats people already have (native, the seed-000
 * persistent/replaceable layout, Flyway, golang-migrate, dbmate, diesel),
 * detected per folder or forced. Versions order as each format's own tool
 * orders them; checksums are SHA-256 of the file bytes with CRLF folded to LF.
 */
#ifndef STRATA_SOURCE_H
#define STRATA_SOURCE_H

#include "common.h"

typedef enum {
    STRATA_FORMAT_AUTO = 0,  /**< detect from the folder's contents */
    STRATA_FORMAT_NATIVE,    /**< 0001_name.sql with -- strata:up / -- strata:down; repeatable/ */
    STRATA_FORMAT_SEED,      /**< persistent/NNN_name.sql and replaceable/NNN_name.sql */
    STRATA_FORMAT_FLYWAY,    /**< V1_2__desc.sql, U1_2__desc.sql, R__desc.sql */
    STRATA_FORMAT_GOLANG,    /**< NNN_name.up.sql / NNN_name.down.sql */
    STRATA_FORMAT_DBMATE,    /**< -- migrate:up / -- migrate:down in one file */
    STRATA_FORMAT_DIESEL     /**< VERSION_name/up.sql + down.sql (+ metadata.toml) */
} strata_format;

typedef enum {
    STRATA_KIND_VERSIONED = 0,  /**< runs once, in version order */
    STRATA_KIND_REPEATABLE,     /**< runs after the versioned ones, again when it changes */
    STRATA_KIND_BASELINE,       /**< history only: everything up to here was adopted */
    STRATA_KIND_UNDO,           /**< history only: a down script ran */
    STRATA_KIND_DELETED         /**< history only: repair forgot an applied file that is gone */
} strata_kind;

#define STRATA_MIG_NO_TRANSACTION      (1u << 0) /**< up runs outside a transaction */
#define STRATA_MIG_RUN_ALWAYS          (1u << 1) /**< repeatable re-runs on every migrate */
#define STRATA_MIG_DOWN_NO_TRANSACTION (1u << 2) /**< down runs outside a transaction */

/** One migration as read from the folder. All pointers borrowed from the source. */
typedef struct {
    strata_kind kind;          /**< VERSIONED or REPEATABLE */
    const char *version;       /**< canonical version ("12", "1.2", "20240101120000"); NULL if repeatable */
    const char *name;          /**< description taken from the file name */
    const char *path;          /**< file holding the up SQL, relative to the migrations folder */
    const char *up_sql;        /**< up SQL (NUL-terminated) */
    size_t up_len;             /**< its length */
    unsigned up_line;          /**< line of path where up_sql starts (1-based) */
    const char *down_path;     /**< file holding the down SQL, or NULL when there is none */
    const char *down_sql;      /**< down SQL (NUL-terminated), or NULL */
    size_t down_len;           /**< its length */
    unsigned down_line;        /**< line of down_path where down_sql starts */
    char checksum[65];         /**< hex SHA-256 of the up file, CRLF folded to LF */
    unsigned flags;            /**< STRATA_MIG_* */
    const char *const *requires; /**< versions this one needs applied first */
    size_t requires_count;
    const char *const *envs;   /**< envs this one runs in; empty means every env */
    size_t envs_count;
    long timeout_ms;           /**< statement timeout from -- strata:timeout, 0 for none */
} strata_migration;

typedef struct strata_source strata_source;

/**
 * Read the migrations folder "dir" in "format" (AUTO detects it).
 * On success *out is owned by the caller (strata_source_free).
 * Errors: STRATA_ENOTFOUND (no such folder), STRATA_EINVALID (a bad file name,
 * a duplicate version, a bad directive: the error names the file and the
 * pattern expected).
 */
STRATA_EXTERN int strata_source_load(strata_source **out, const char *dir, strata_format format);
STRATA_EXTERN void strata_source_free(strata_source *src);

/** Versioned migrations in version order, then repeatables by name. */
STRATA_EXTERN size_t strata_source_count(const strata_source *src);
/** Borrowed; NULL when i is out of range. */
STRATA_EXTERN const strata_migration *strata_source_get(const strata_source *src, size_t i);
/** The versioned migration with this version (canonical or as written), or NULL. */
STRATA_EXTERN const strata_migration *strata_source_find(const strata_source *src, const char *version);
STRATA_EXTERN strata_format strata_source_format(const strata_source *src);
/** The folder as given. Borrowed. */
STRATA_EXTERN const char *strata_source_dir(const strata_source *src);

/** Compare two versions as "format"'s own tool does: <0, 0, >0. */
STRATA_EXTERN int strata_version_compare(strata_format format, const char *a, const char *b);
/**
 * Canonical form of a version as written in a file name ("0012" -> "12",
 * "1_2" -> "1.2"). Writes into out (size outsz). STRATA_EINVALID if it is not
 * a version of this format.
 */
STRATA_EXTERN int strata_version_canonical(char *out, size_t outsz, strata_format format, const char *v);

STRATA_EXTERN const char *strata_format_name(strata_format format);
/** "native", "seed", "flyway", "golang-migrate" (or "golang"), "dbmate", "diesel", "auto". */
STRATA_EXTERN int strata_format_parse(strata_format *out, const char *name);
STRATA_EXTERN const char *strata_kind_name(strata_kind kind);

#endif
