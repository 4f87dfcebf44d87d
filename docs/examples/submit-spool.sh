#!/bin/sh
# submit-spool.sh — hand one signal to vertrouwd through its spool.
#
#   sh submit-spool.sh SPOOL source=webfilter category=sextortion.payment \
#       [site=hoofdgebouw] [cohort=klas-4] [channel=instagram] [severity=high] [count=3] [id=...]
#
# Writes the signal ("v":1, a fresh random id unless id= is given, "ts" = now)
# to SPOOL/tmp/, flushes it to disk, and renames it into SPOOL/new/: the
# daemon never sees a half-written file. Needs a POSIX sh, GNU coreutils
# (sync FILE) and write access to SPOOL/tmp and SPOOL/new (the group
# vertrouwd-submit). Exit status 0 when the file is in new/, 1 otherwise.
set -eu

usage() { echo "usage: $0 SPOOL source=NAME category=NAME [site=|cohort=|channel=|severity=|count=|id=]..." >&2; exit 1; }
[ $# -ge 3 ] || usage
spool=$1; shift

# A random id of letters only: unique, and never a run of digits that the
# PII gate could read as a BSN or a phone number.
id="sh-$(LC_ALL=C tr -dc 'a-z' </dev/urandom | head -c 24)"
fields=""
for arg in "$@"; do
    key=${arg%%=*}; value=${arg#*=}
    [ "$key" != "$arg" ] || usage
    # Vocabulary values and ids only ever hold these characters; refusing
    # anything else also means no JSON escaping is needed.
    case $value in ''|*[!A-Za-z0-9._:-]*) echo "$0: bad value for $key" >&2; exit 1 ;; esac
    case $key in
        id) id=$value ;;
        count) case $value in *[!0-9]*) echo "$0: count must be a number" >&2; exit 1 ;; esac
               fields="$fields,\"count\":$value" ;;
        source|category|site|cohort|channel|severity) fields="$fields,\"$key\":\"$value\"" ;;
        *) echo "$0: unknown field $key" >&2; exit 1 ;;
    esac
done
ts=$(date -u +%Y-%m-%dT%H:%M:%SZ)
line="{\"v\":1,\"id\":\"$id\",\"ts\":\"$ts\"$fields}"

# A unique name (time, pid, random, host), the same in tmp/ and new/.
name="$(date +%s).$$.$(LC_ALL=C tr -dc 'a-z0-9' </dev/urandom | head -c 12).$(uname -n | tr -c 'A-Za-z0-9.\n-' _)"
umask 027                                   # the file is created mode 0640
tmp="$spool/tmp/$name"
trap 'rm -f "$tmp"' EXIT
printf '%s\n' "$line" >"$tmp"
sync "$tmp"                                 # fsync: durable before it is visible
mv "$tmp" "$spool/new/$name"                # rename(2): atomic within one file system
trap - EXIT
sync "$spool/new" 2>/dev/null || true       # make the rename itself durable
echo "submitted $name"
