/*
 * str.c: small string helpers: prefixes, trimming, durations, snake_case
 * names and offset-to-line mapping for error positions.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "util.h"

int strata_str_startswith(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

int strata_str_endswith(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

char *strata_str_trim(char *s)
{
    char *end;
    while (*s && isspace((unsigned char)*s))
        s++;
    end = s + strlen(s);
    while (end > s && isspace((unsigned char)end[-1]))
        *--end = '\0';
    return s;
}

int strata_str_isdigits(const char *s, size_t n)
{
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

/*
 * Parse a duration: a number followed by "ms", "s", "m" or "h" (no unit means
 * seconds). Returns milliseconds, or -1 when the text is not a duration.
 */
long strata_str_duration_ms(const char *s)
{
    char *end;
    double v;

    while (isspace((unsigned char)*s))
        s++;
    if (!isdigit((unsigned char)*s))
        return -1;
    v = strtod(s, &end);
    while (isspace((unsigned char)*end))
        end++;
    if (*end == '\0' || strcmp(end, "s") == 0 || strcmp(end, "sec") == 0)
        v *= 1000;
    else if (strcmp(end, "ms") == 0)
        ;
    else if (strcmp(end, "m") == 0 || strcmp(end, "min") == 0)
        v *= 60000;
    else if (strcmp(end, "h") == 0)
        v *= 3600000;
    else
        return -1;
    if (v < 0 || v > 1e12)
        return -1;
    return (long)v;
}

int strata_str_snake(strata_buf *out, const char *name)
{
    int pending_sep = 0;
    size_t start = out->size;

    for (const char *p = name; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (isalnum(c)) {
            if (pending_sep && out->size > start)
                if (strata_buf_put(out, "_", 1) < 0)
                    return -1;
            pending_sep = 0;
            char l = (char)tolower(c);
            if (strata_buf_put(out, &l, 1) < 0)
                return -1;
        } else {
            pending_sep = 1;
        }
    }
    return out->size > start ? 0 : -1;
}

unsigned strata_str_line_of(const char *text, size_t offset, unsigned *column)
{
    unsigned line = 1, col = 1;
    for (size_t i = 0; i < offset && text[i]; i++) {
        if (text[i] == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    if (column)
        *column = col;
    return line;
}
