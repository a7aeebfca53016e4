/*
 * dl.c: libraries opened on first use.
 *
 * libsqlite3 and libpg_query are large, and linking them costs every run
 * their relocations at start-up (about 3 ms of a 40 ms no-op migrate on a
 * small VM), although a PostgreSQL run with nothing to apply uses neither.
 * They are opened by SONAME (fixed at build time), once per process.
 */
#include <dlfcn.h>
#include "../strata_int.h"

int strata__dl_load(strata_dl *dl)
{
    void *handle;
    int error = 0;

    if (__atomic_load_n(&dl->loaded, __ATOMIC_ACQUIRE))
        return 0;
    pthread_mutex_lock(&dl->lock);
    if (dl->loaded)
        goto done;
    if (!(handle = dlopen(dl->soname, RTLD_NOW | RTLD_LOCAL))) {
        error = strata__error(STRATA_ERROR, "dl", "cannot load %s: %s", dl->soname, dlerror());
        strata__error_hint("install the Debian package %s", dl->package);
        goto done;
    }
    for (size_t i = 0; i < dl->count; i++) {
        if ((*dl->slots[i] = dlsym(handle, dl->names[i])) != NULL)
            continue;
        error = strata__error(STRATA_ERROR, "dl", "%s has no %s", dl->soname, dl->names[i]);
        strata__error_hint("the installed library is older than the one strata was built with; "
                           "upgrade it, or rebuild strata");
        dlclose(handle);
        goto done;
    }
    __atomic_store_n(&dl->loaded, 1, __ATOMIC_RELEASE);
done:
    pthread_mutex_unlock(&dl->lock);
    return error;
}
