#!/bin/sh
# slabfuzz repro and heapmap: bad input gets a one-line error with its own
# exit status (2 usage, 3 I/O, 4 malformed) and leaves no file behind;
# every op of the op table (harness/optable.h) is used by one of the
# programs in testdata/repro-*.txt, and for each of them the emitted C
# reproducer holds only <kalloc/kalloc.h> and libc includes, builds with
# the command on its first line, and runs clean, as the harness does
# (through `repro --run`, and by hand for one); the emitted file is the same on
# every run; every knob of an input's configuration reaches the
# reproducer's machine; heapmap draws each program.
# usage: test_repro.sh SLABFUZZ SOURCE_DIR SCRATCH_DIR
set -u
sfz=$1
src=$2
dir=$3
fail=0
rm -rf "$dir" && mkdir -p "$dir" || exit 1
data=$src/harness/tools/slabfuzz/testdata

. "$(dirname "$0")/expect.sh"

: >"$dir/empty"
head -c 2000000 /dev/zero >"$dir/huge"
printf 'kmalloc 64 GFP_KERNEL\nkmalloc sixty GFP_KERNEL\n' >"$dir/bad.txt"
printf 'config mem=8M\nkmalloc 64 GFP_KERNEL\n' >"$dir/good.txt"
mkdir -p "$dir/crashes/fuzz_kmalloc"
printf '\001\000\000\000\003\000' >"$dir/crashes/fuzz_kmalloc/input"

for cmd in repro heapmap; do
	ext=c; [ $cmd = heapmap ] && ext=svg
	expect 2 "usage" "$sfz" $cmd
	expect 2 "usage" "$sfz" $cmd --target fuzz_kmalloc "$dir/good.txt"
	expect 2 "usage" "$sfz" $cmd --frob "$dir/good.txt" -o "$dir/x.$ext"
	expect 2 "usage" "$sfz" $cmd --target fuzz_kmalloc a b -o "$dir/x.$ext"
	expect 3 "No such file" "$sfz" $cmd --target fuzz_kmalloc "$dir/no-such" -o "$dir/x.$ext"
	expect 3 "is a directory" "$sfz" $cmd --target fuzz_kmalloc "$dir" -o "$dir/x.$ext"
	expect 4 "empty file" "$sfz" $cmd --target fuzz_kmalloc "$dir/empty" -o "$dir/x.$ext"
	expect 4 "too large" "$sfz" $cmd --target fuzz_kmalloc "$dir/huge" -o "$dir/x.$ext"
	expect 4 "line 2" "$sfz" $cmd --target fuzz_kmalloc "$dir/bad.txt" -o "$dir/x.$ext"
	expect 2 "target" "$sfz" $cmd "$dir/good.txt" -o "$dir/x.$ext"
	expect 2 "fuzz_nothing" "$sfz" $cmd --target fuzz_nothing "$dir/good.txt" -o "$dir/x.$ext"
	[ -e "$dir/x.$ext" ] && { echo "FAIL: a failed $cmd wrote its output"; fail=1; }
	expect 3 "no-dir" "$sfz" $cmd --target fuzz_kmalloc "$dir/good.txt" -o "$dir/no-dir/x.$ext"
	# the target from where the input lies
	expect 0 "clean" "$sfz" $cmd "$dir/crashes/fuzz_kmalloc/input" -o "$dir/lies.$ext"
done
expect 2 "usage" "$sfz" repro --run --target fuzz_kmalloc "$dir/good.txt" -o "$dir/x.c"

# every op of the table is in one of the programs
for op in $(sed -n 's/^SF_OP([A-Z_0-9]*, *"\([a-z_0-9]*\)".*/\1/p' "$src/harness/optable.h"); do
	grep -q "^$op " "$data"/repro-*.txt || grep -q "^$op\$" "$data"/repro-*.txt ||
		{ echo "FAIL: no program in $data uses op $op"; fail=1; }
done

for pair in kmalloc:fuzz_kmalloc slab:fuzz_slab pages:fuzz_buddy vmalloc:fuzz_vmalloc \
	    common:fuzz_mixed misuse:fuzz_misuse; do
	g=${pair%%:*} t=${pair#*:}
	p=$data/repro-$g.txt
	expect 0 "clean" "$sfz" repro --run --target "$t" "$p"
	expect 0 "clean" "$sfz" repro --target "$t" "$p" -o "$dir/$g.c"
	[ -s "$dir/$g.c" ] || { echo "FAIL: repro wrote no $dir/$g.c"; fail=1; continue; }
	bad=$(grep '^#include' "$dir/$g.c" | grep -v -e '^#include <kalloc/kalloc.h>$' \
		-e '^#include <std[a-z]*\.h>$' -e '^#include <string\.h>$')
	[ -n "$bad" ] && { echo "FAIL: $g.c includes more than kalloc.h and libc: $bad"; fail=1; }
	expect 0 "clean" "$sfz" heapmap --target "$t" "$p" -o "$dir/$g.svg"
	grep -q '<svg' "$dir/$g.svg" && grep -q 'Physical memory' "$dir/$g.svg" &&
		grep -q 'vmalloc range' "$dir/$g.svg" && grep -q 'Legend' "$dir/$g.svg" ||
		{ echo "FAIL: $g.svg lacks a section"; fail=1; }
	if command -v rsvg-convert >/dev/null; then
		rsvg-convert -o "$dir/$g.png" "$dir/$g.svg" 2>"$dir/rsvg.log" ||
			{ echo "FAIL: $g.svg does not render"; cat "$dir/rsvg.log"; fail=1; }
	fi
	"$sfz" repro --target "$t" "$p" -o "$dir/$g-again.c" >/dev/null 2>&1
	sed "s|$g-again.c|$g.c|" "$dir/$g-again.c" | cmp -s - "$dir/$g.c" ||
		{ echo "FAIL: two repro runs of $g differ"; fail=1; }
	# the first line is the command that builds it, from the source root
	# (by hand for one program: --run above did it for every one)
	[ $g = misuse ] || continue
	cmd=$(head -1 "$dir/$g.c" | sed -n 's|^/\* \(.*\) \*/$|\1|p')
	case $cmd in *"-Ialloc/include $dir/$g.c "*"/alloc/libkalloc.a -lpthread -ldl -lm -o repro") ;;
	*) echo "FAIL: $g.c's first line is no build command: $cmd"; fail=1 ;; esac
	(cd "$dir" && mkdir -p "b-$g" && cd "b-$g" && ln -sf "$src/alloc" alloc &&
	 build=$(echo "$cmd" | sed 's|.* \([^ ]*\)/alloc/libkalloc.a.*|\1|') &&
	 { [ "${build#/}" != "$build" ] || ln -sfn "$src/${build%%/*}" "${build%%/*}"; } &&
	 eval "$cmd" >"$dir/cc.log" 2>&1) ||
		{ echo "FAIL: $g.c does not build with its first line"; cat "$dir/cc.log"; fail=1; continue; }
	expect 0 "^clean$" "$dir/b-$g/repro"
done
# every knob of the input's configuration reaches the reproducer's machine
printf 'config mem=8M cpus=2 debug=FZPU merge=off random=on hardened=off quarantine=256K init_on_alloc=on init_on_free=on seed=7 page_poison=on\nkmalloc 64 GFP_KERNEL\nkfree @last\n' >"$dir/knobs.txt"
expect 0 "clean" "$sfz" repro --target fuzz_kmalloc "$dir/knobs.txt" -o "$dir/knobs.c"
for want in 'cfg.page_poison = true;' 'cfg.init_on_alloc = true;' 'cfg.init_on_free = true;' \
	    'cfg.ncpus = 2;' 'cfg.slab_debug = "FZPU";' 'cfg.freelist_random = true;' \
	    'cfg.freelist_hardened = false;' 'cfg.slab_nomerge = true;' 'cfg.quarantine_bytes = 262144ul;'; do
	grep -qF "$want" "$dir/knobs.c" || { echo "FAIL: knobs.c lacks $want"; fail=1; }
done
expect 0 "clean" "$sfz" repro --run --target fuzz_kmalloc "$dir/knobs.txt"
grep -q 'guard' "$dir/vmalloc.svg" && grep -c 'fill="#9b7fd1"' "$dir/vmalloc.svg" | grep -qv '^0$' ||
	{ echo "FAIL: vmalloc.svg draws no vmalloc area"; fail=1; }
grep -q 'Slab of sfcache' "$dir/slab.svg" || { echo "FAIL: slab.svg draws no slab"; fail=1; }
ls "$dir" | grep -q '\.tmp$' && { echo "FAIL: temporary file left behind"; fail=1; }

[ $fail = 0 ] && echo "slabfuzz repro/heapmap: ok"
exit $fail
