/*
 * strata/common.h: what every public header needs: export markers and the
 * library version. Kept tiny so any header can include it first.
 */
#ifndef STRATA_COMMON_H
#define STRATA_COMMON_H

#include <stddef.h>

#if defined(__GNUC__)
#define STRATA_EXTERN __attribute__((visibility("default")))
#else
#define STRATA_EXTERN
#endif

#define STRATA_VERSION "0.1.0"
#define STRATA_VERSION_MAJOR 0
#define STRATA_VERSION_MINOR 1
#define STRATA_VERSION_PATCH 0

/** The library's version string, e.g. "0.1.0" (static, never freed). */
STRATA_EXTERN const char *strata_version(void);

#endif
