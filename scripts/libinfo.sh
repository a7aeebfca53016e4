#!/usr/bin/env bash
# scripts/libinfo.sh soname|package LIBNAME: the SONAME of the library the
# compiler links for LIBNAME (libsqlite3.so, libpg_query.so), or the Debian
# package that ships that file. The Makefile builds these into the binary:
# strata opens those two libraries on first use (src/lib/core/dl.c).
set -euo pipefail
dev=$(${CC:-cc} -print-file-name="$2")
soname=$(readelf -d "$dev" 2>/dev/null | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[ -n "$soname" ] || { echo "libinfo.sh: no SONAME in $dev (is the -dev package installed?)" >&2; exit 1; }
case $1 in
soname) echo "$soname" ;;
package)
    real=$(readlink -f "$(dirname "$(readlink -f "$dev")")/$soname")
    pkg=$(dpkg -S "$real" 2>/dev/null | sed -n '1s/:.*//p')
    echo "${pkg:-the one that ships $soname}" ;;
*) echo "usage: $0 soname|package LIBNAME" >&2; exit 2 ;;
esac
