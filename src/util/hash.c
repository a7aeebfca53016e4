/*
 * hash.c: SHA-256 through OpenSSL's libcrypto. Checksums fold CRLF to LF so a
 * checkout on Windows does not look like a changed migration.
 */
#include <openssl/evp.h>
#include "util.h"

static int sha256_lf(unsigned char md[32], const char *data, size_t len)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    unsigned int mdlen = 0;
    size_t start = 0;
    int ok;

    if (!ctx)
        return -1;
    ok = EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
    for (size_t i = 0; ok && i < len; i++) {
        if (data[i] == '\r' && i + 1 < len && data[i + 1] == '\n') {
            ok = EVP_DigestUpdate(ctx, data + start, i - start);
            start = i + 1;
        }
    }
    if (ok)
        ok = EVP_DigestUpdate(ctx, data + start, len - start);
    if (ok)
        ok = EVP_DigestFinal_ex(ctx, md, &mdlen);
    EVP_MD_CTX_free(ctx);
    return ok && mdlen == 32 ? 0 : -1;
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
