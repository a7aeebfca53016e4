/*
 * hash.c: SHA-256 through OpenSSL's libcrypto. Checksums fold CRLF to LF so a
 * checkout on Windows does not look like a changed migration.
 */
#include <openssl/evp.h>
#include <pthread.h>
#include "util.h"

/* OpenSSL 3 looks the algorithm up on every EVP_sha256() init; fetch it once. */
static EVP_MD *sha256_md;
static pthread_once_t sha256_once = PTHREAD_ONCE_INIT;
static void sha256_fetch(void) { sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL); }

static int sha256_lf(unsigned char md[32], const char *data, size_t len)
{
    EVP_MD_CTX *ctx;
    unsigned int mdlen = 0;
    size_t start = 0;
    int ok;

    pthread_once(&sha256_once, sha256_fetch);
    if (!sha256_md || !(ctx = EVP_MD_CTX_new()))
        return -1;
    ok = EVP_DigestInit_ex(ctx, sha256_md, NULL);
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
