#!/bin/sh
# ci/check-layers must refuse what it exists to refuse, not only pass on
# the tree: in a scratch copy of alloc/ it is handed (1) the quarantine
# including SLUB's private header, (2) the machine including the debug
# layer's private one, (3) an archive whose slab-layer object calls a
# debug-layer function that is no debug.h hook, and (4) the same call once
# the function is declared in debug.h, which it must accept.
# usage: test_check_layers.sh ROOT CC SCRATCH
set -u
root=$1 cc=$2 tmp=$3
fail=0
rm -rf "$tmp" && mkdir -p "$tmp" || exit 1
check=$root/ci/check-layers

expect() {	# expect STATUS PATTERN WHAT -- ARGS...: check-layers ARGS
  want=$1 pat=$2 what=$3; shift 4
  out=$("$check" "$@" 2>&1); st=$?
  if [ "$st" != "$want" ]; then
    echo "FAIL: $what: exit $st, not $want"; echo "$out"; fail=1
  elif [ -n "$pat" ] && ! printf '%s\n' "$out" | grep -q -- "$pat"; then
    echo "FAIL: $what: no line matching '$pat'"; echo "$out"; fail=1
  else
    echo "ok: $what"
  fi
}

copy() {	# a fresh copy of the tree's alloc/ in $tmp/$1
  mkdir -p "$tmp/$1" && cp -R "$root/alloc" "$tmp/$1/"
}

expect 0 "every one downward" "the tree itself" -- "$root"

copy q
sed -i 's|^#include "debug/quarantine.h"|&\n#include "slab/slub.h"|' "$tmp/q/alloc/debug/quarantine.c"
expect 1 'quarantine.c:.*"slab/slub.h", a private header' "quarantine.c including slab/slub.h" -- "$tmp/q"

copy m
sed -i 's|^#include "debug/obj_info.h"|&\n#include "debug/slub_debug.h"|' "$tmp/m/alloc/machine/objects.c"
expect 1 'objects.c:.*"debug/slub_debug.h", a private header' "machine/objects.c including debug/slub_debug.h" -- "$tmp/m"

# a two-object archive: slab/fake_slub.c calls debug/fake_debug.c
copy s
printf 'void fake_debug_call(void);\nvoid fake_slub(void) { fake_debug_call(); }\n' > "$tmp/s/alloc/slab/fake_slub.c"
printf 'void fake_debug_call(void);\nvoid fake_debug_call(void) { }\n' > "$tmp/s/alloc/debug/fake_debug.c"
( cd "$tmp" && "$cc" -c -o fake_slub.c.o s/alloc/slab/fake_slub.c &&
  "$cc" -c -o fake_debug.c.o s/alloc/debug/fake_debug.c &&
  ar rcs libfake.a fake_slub.c.o fake_debug.c.o ) || { echo "FAIL: cannot build the archive"; exit 1; }
expect 1 'slab/fake_slub.c uses fake_debug_call of alloc/debug/fake_debug.c: a call upward' \
  "a slab object calling into the debug layer past debug.h" -- --lib "$tmp/libfake.a" "$tmp/s"
printf 'void fake_debug_call(void);\n' >> "$tmp/s/alloc/debug/debug.h"
expect 0 "every upward one a hook" "the same call once it is a debug.h hook" -- --lib "$tmp/libfake.a" "$tmp/s"
expect 2 "" "a missing archive" -- --lib "$tmp/none.a" "$tmp/s"

rm -rf "$tmp"
exit $fail
