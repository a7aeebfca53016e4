/*
 * hash.c: SHA-256 through OpenSSL's libcrypto. Checksums fold CRLF to LF so a
 * checkout on Windows does not look like a changed migration.
 *
 * This uses SHA256_Init/Update/Final, which OpenSSL 3 marks deprecated, rather
 * than EVP: a process's first EVP digest initialises libcrypto, reads
 * openssl.cnf and loads the default provider (about 7 million instructions,
 * some 2 ms), more than hashing a thousand migrations, on every strata run.
 * The low-level functions are the same digest without that machinery.
 */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>
#include <string.h>
#include "util.h"

static int sha256_lf(unsigned char md[32], const char *data, size_t len)
{
    SHA256_CTX ctx;
    const char *start = data, *p = data, *end = data + len, *cr;
    int ok = SHA256_Init(&ctx);

    while (ok && p < end && (cr = memchr(p, '\r', (size_t)(end - p))) != NULL) {
        if (cr + 1 < end && cr[1] == '\n') {
            ok = SHA256_Update(&ctx, start, (size_t)(cr - start));
            start = cr + 1;
        }
        p = cr + 1;
    }
    if (ok)
        ok = SHA256_Update(&ctx, start, (size_t)(end - start));
    if (ok)
        ok = SHA256_Final(md, &ctx);
    return ok ? 0 : -1;
}

int strata_sha256_hex_lf(char out[65], const char *data, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char md[32];

    if (sha256_lf(md, data, len) < 0)
        return -1;
    for (int i = 0; i < 32; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[64] = '\0';
    return 0;
}

int64_t strata_sha256_i64(const char *data, size_t len)
{
    unsigned char md[32];
    uint64_t v = 0;

    if (sha256_lf(md, data, len) < 0)
        return 0;
    for (int i = 0; i < 8; i++)
        v = (v << 8) | md[i];
    return (int64_t)v;
}
