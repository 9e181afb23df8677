#!/bin/sh
# slabfuzz kmod end to end: every example under examples/ through the module
# runner (the correct ones exit 0 with a clean log; each mistake exits with
# its status and report title), the error-path example under --fail-each
# and --fail-nth, the issue's module and tutorial-style code unchanged, the
# compat headers with <stdio.h>/<string.h> in both orders under gcc and
# clang at -Wall -Wextra -Werror, module parameters, --slabinfo, and bad
# input (one-line error, exit 2). Each module is compiled once per case.
#
# usage: test_kmod.sh SLABFUZZ ROOT SCRATCH
set -u
sfz=$1 root=$2 scratch=$3
ex=$root/examples t=$root/tests/kmod
rm -rf "$scratch" && mkdir -p "$scratch" || exit 2
fail=0 n=0

# check NAME STATUS REGEX CMD...: CMD exits STATUS and its output (stdout
# and stderr) matches every '|'-free line of REGEX (one egrep per line)
check() {
	name=$1 want=$2 pats=$3
	shift 3
	n=$((n + 1))
	"$@" >"$scratch/out" 2>&1
	got=$?
	if [ "$got" != "$want" ]; then
		echo "FAIL $name: exit $got, want $want"; sed 's/^/    /' "$scratch/out" | head -40
		fail=1; return
	fi
	echo "$pats" | while IFS= read -r p; do
		[ -z "$p" ] && continue
		grep -Eq -- "$p" "$scratch/out" || { echo "FAIL $name: no line matches /$p/"; sed 's/^/    /' "$scratch/out" | head -40; exit 1; }
	done || fail=1
}
# refute NAME REGEX: the last check's output has no line matching REGEX
refute() {
	if grep -Eq -- "$2" "$scratch/out"; then
		echo "FAIL $1: unexpected /$2/"; sed 's/^/    /' "$scratch/out" | head -40; fail=1
	fi
}

for f in kmalloc_kfree kzalloc kmem_cache vmalloc pages usercopy; do
	check "$f" 0 '^<6>\[ *[0-9]+\.[0-9]{6}\] ' "$sfz" kmod "$ex/$f.c"
	refute "$f" 'kmemleak|insmod: ERROR|BUG|WARNING|warning:'
done
check kmalloc_kfree-format 0 "kmalloc'd 100 bytes at [0-9a-f]+ \([0-9a-f]{16}\): hello" \
	"$sfz" kmod "$ex/kmalloc_kfree.c"
check usercopy-result 0 'copied "from the kernel" out and back; to a kernel address: 8 of 8 bytes left' \
	"$sfz" kmod "$ex/usercopy.c"

check bug_off_by_one 1 'BUG: KASAN: slab-out-of-bounds in off_by_one_init|Redzone overwritten' \
	"$sfz" kmod "$ex/bug_off_by_one.c"
check bug_double_free 1 'double free|double-free|Object already free' "$sfz" kmod "$ex/bug_double_free.c"
check bug_use_after_free 1 'BUG: KASAN: slab-use-after-free in uaf_init|Poison overwritten' \
	"$sfz" kmod "$ex/bug_use_after_free.c"
check bug_leak 3 'kmemleak: unreferenced object 0x[0-9a-f]+ \(size 100\):
kmemleak:     73 74 69 6c 6c 20 68 65 72 65 00 00 00 00 00 00  still here
kmemleak:     \[<[0-9a-f]{16}>\] leak_init
kmemleak: 1 new suspected memory leaks
1 leaked allocation' "$sfz" kmod "$ex/bug_leak.c"
check bug_error_path 0 '' "$sfz" kmod "$ex/bug_error_path.c"
refute bug_error_path 'kmemleak|insmod: ERROR'
check bug_error_path-fail-each 3 'fail-each: init reaches 2 allocation sites
site 1/2 \(error_path_init.*kmalloc-64, size 64\): ok
site 2/2 \(error_path_init.*kmalloc-128, size 128\): leak
insmod: ERROR: could not insert module .*bug_error_path.c: Cannot allocate memory
unreferenced object 0x[0-9a-f]+ \(size 64\)
1 of 2 runs leaked' "$sfz" kmod "$ex/bug_error_path.c" --fail-each
check bug_error_path-fail-nth 3 'FAULT_INJECTION: forcing a failure
allocation 2 of init
unreferenced object' "$sfz" kmod "$ex/bug_error_path.c" --fail-nth 2
check bug_error_path-fail-nth-1 0 'insmod: ERROR: could not insert module' \
	"$sfz" kmod "$ex/bug_error_path.c" --fail-nth 1
refute bug_error_path-fail-nth-1 kmemleak
# slab_debug's A: failslab fails only the caches it marks
check failslab-filter 0 'init made only 0 allocations fault injection may fail' \
	"$sfz" kmod "$ex/bug_error_path.c" --fail-nth 1 -- 'slab_debug=FZPU;FZPUA,kmalloc-32'
refute failslab-filter FAULT_INJECTION
check failslab-marked 3 'allocation 1 of init: .*kmalloc-128
unreferenced object 0x[0-9a-f]+ \(size 64\)' \
	"$sfz" kmod "$ex/bug_error_path.c" --fail-nth 1 -- 'slab_debug=FZPU;FZPUA,kmalloc-128'

check issue-module 0 '<6>\[ *[0-9.]+\] ok [0-9a-f]{16}
<6>\[ *[0-9.]+\] bye' "$sfz" kmod "$t/demo.c"
check tutorial 0 'kmalloc: buffer at 0x[0-9a-f]+
vmalloc: 1 MiB at 0x[0-9a-f]+
__get_free_pages: order 2 at 0x[0-9a-f]+
user buffer now holds: hello from the kernel
memory tutorial unloaded' "$sfz" kmod "$t/tutorial.c"
refute tutorial 'kmemleak|insmod: ERROR|warning:'
check params 0 '] 7 2 12 8 2 hi 1$' "$sfz" kmod "$t/headers.c" -- param=7 headers.label=hi flag
check slabinfo 0 '^mycache +4 +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+ :' "$sfz" kmod "$ex/kmem_cache.c" --slabinfo -- slab_nomerge
check buddyinfo 0 '^Node 0, zone +Normal' "$sfz" kmod "$ex/kmalloc_kfree.c" --buddyinfo -- mem=32M init_on_free=1

for cc in gcc clang; do
	command -v $cc >/dev/null || continue
	for order in "" -DHEADERS_FIRST; do
		check "headers-$cc$order" 0 '' $cc -std=gnu11 -Wall -Wextra -Werror -fsyntax-only $order \
			-I"$root/alloc/compat" -I"$root/alloc/include" "$t/headers.c" "$t/demo.c" \
			"$t/tutorial.c" "$ex"/*.c
	done
done

# bad input: one line on stderr, exit 2
printf 'int broken = ;\n' >"$scratch/broken.c"
printf '#include <linux/module.h>\nMODULE_LICENSE("GPL");\n' >"$scratch/noinit.c"
for c in "missing:$scratch/missing.c" "broken:$scratch/broken.c" "noinit:$scratch/noinit.c" \
	 "boot-option:$ex/kzalloc.c -- no_such_option=1" "boot-value:$ex/kzalloc.c -- mem=lots"; do
	name=${c%%:*} args=${c#*:}
	n=$((n + 1))
	# shellcheck disable=SC2086
	"$sfz" kmod $args >"$scratch/out" 2>"$scratch/err"
	got=$?
	lines=$(wc -l <"$scratch/err")
	if [ $got != 2 ] || [ "$lines" != 1 ] || [ -s "$scratch/out" ]; then
		echo "FAIL bad-$name: exit $got (want 2), $lines stderr lines (want 1)"; cat "$scratch/err" "$scratch/out"
		fail=1
	fi
done

[ $fail = 0 ] && echo "kmod: $n cases pass"
exit $fail
