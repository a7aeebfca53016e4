/* TEMPORARY until diff_sqlite.c lands: weak, the real one overrides it. */
#include "model.h"
__attribute__((weak)) int strata__sqlite_diff(sm_changes *out, const strata_schema *from, const strata_schema *to,
                                              const strata_schema_options *opts)
{
    (void)out; (void)from; (void)to; (void)opts;
    return strata__error(STRATA_EINVALID, "diff", "sqlite diff not built yet");
}
