/*
 * fs.c: reading files and folders. Folder listings come back sorted so the
 * same folder always reads the same way.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "util.h"

int strata_fs_read(strata_buf *out, const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    char chunk[65536];
    ssize_t n;

    if (fd < 0)
        return -1;
    strata_buf_clear(out);
    while ((n = read(fd, chunk, sizeof(chunk))) > 0) {
        if (strata_buf_put(out, chunk, (size_t)n) < 0) {
            close(fd);
            errno = ENOMEM;
            return -1;
        }
    }
    close(fd);
    if (n < 0)
        return -1;
    if (!out->ptr && strata_buf_put(out, "", 0) < 0)
        return -1;
    return 0;
}

int strata_fs_write_new(const char *path, const char *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    size_t off = 0;

    if (fd < 0)
        return -1;
    while (off < len) {
        ssize_t n = write(fd, data + off, len - off);
        if (n < 0) {
            int e = errno;
            close(fd);
            unlink(path);
            errno = e;
            return -1;
        }
        off += (size_t)n;
    }
    return close(fd);
}

int strata_fs_isdir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int strata_fs_isfile(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int strata_fs_list(char ***names, size_t *count, const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **v = NULL;
    size_t n = 0, cap = 0;

    *names = NULL;
    *count = 0;
    if (!d)
        return -1;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (STRATA_ARRAY_GROW(v, n, cap) < 0 || !(v[n] = strata__strdup(e->d_name))) {
            closedir(d);
            strata_fs_names_free(v, n);
            errno = ENOMEM;
            return -1;
        }
        n++;
    }
    closedir(d);
    if (n)
        qsort(v, n, sizeof(*v), cmp_names);
    *names = v;
    *count = n;
    return 0;
}

void strata_fs_names_free(char **names, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free(names[i]);
    free(names);
}

int strata_fs_mkdir_p(const char *path)
{
    strata_buf b = STRATA_BUF_INIT;
    int r = 0;

    if (!*path)
        return 0;
    if (strata_buf_puts(&b, path) < 0)
        return -1;
    for (char *p = b.ptr + 1; ; p++) {
        if (*p == '/' || *p == '\0') {
            char c = *p;
            *p = '\0';
            if (mkdir(b.ptr, 0755) < 0 && errno != EEXIST) {
                r = -1;
                break;
            }
            *p = c;
            if (c == '\0')
                break;
        }
    }
    strata_buf_dispose(&b);
    return r;
}

int strata_path_isabs(const char *p) { return p[0] == '/'; }

int strata_path_join(strata_buf *out, const char *a, const char *b)
{
    strata_buf_clear(out);
    if (!a || !*a || strata_path_isabs(b) || strcmp(a, ".") == 0)
        return strata_buf_puts(out, b);
    if (strata_buf_puts(out, a) < 0)
        return -1;
    if (out->size && out->ptr[out->size - 1] != '/' && strata_buf_put(out, "/", 1) < 0)
        return -1;
    return strata_buf_puts(out, b);
}
