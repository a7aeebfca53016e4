/*
 * bench/pq_start.c: the process-start floor of every libpq client. It loads
 * libpq, and the libraries libpq pulls in (OpenSSL, GSSAPI, LDAP and theirs),
 * then exits without connecting. Beside `psql -c 'select 1'` in the no-op
 * table it shows how much of a no-op run any PostgreSQL client spends before
 * its main() on the machine at hand. Built and run by bench/run.sh.
 */
#include <libpq-fe.h>

int main(void)
{
    /* a call, so that the linker keeps libpq even with --as-needed */
    return PQlibVersion() > 0 ? 0 : 1;
}
