#!/bin/sh
# sfprog's error handling: a one-line message and a distinct exit status for
# each kind of bad input, and no output file left behind by a failure.
# usage: test_sfprog.sh SFPROG SCRATCH_DIR
set -u
sfprog=$1
dir=$2
fail=0
rm -rf "$dir" && mkdir -p "$dir" || exit 1

expect() {	# expect STATUS PATTERN CMD...
	want=$1 pat=$2
	shift 2
	"$@" >"$dir/out" 2>"$dir/err"
	got=$?
	if [ "$got" != "$want" ]; then
		echo "FAIL: '$*' exited $got, expected $want"; cat "$dir/err"; fail=1
	elif [ -n "$pat" ] && ! grep -q -- "$pat" "$dir/err"; then
		echo "FAIL: '$*': stderr lacks '$pat':"; cat "$dir/err"; fail=1
	elif [ "$want" != 0 ] && [ "$(wc -l <"$dir/err")" -gt 6 ]; then
		echo "FAIL: '$*': error message too long"; fail=1
	fi
}

printf 'config mem=8M cpus=2\nkmalloc 64 GFP_KERNEL\nkfree @0\n' >"$dir/good.txt"
printf 'kmalloc 64 GFP_KERNEL\nkmalloc sixty GFP_KERNEL\n' >"$dir/bad.txt"
printf 'kmalloc 64 GFP_BOGUS\n' >"$dir/badgfp.txt"
printf 'kmalloc 64\n' >"$dir/arity.txt"
printf 'frobnicate\n' >"$dir/op.txt"

expect 2 usage "$sfprog"
expect 2 usage "$sfprog" frob
expect 2 usage "$sfprog" encode
expect 3 "no-such" "$sfprog" encode "$dir/no-such.txt"
expect 4 "line 2: bad size 'sixty'" "$sfprog" encode "$dir/bad.txt"
expect 4 "line 1: unknown GFP flag 'GFP_BOGUS'" "$sfprog" encode "$dir/badgfp.txt"
expect 4 "line 1: kmalloc takes 2 arguments, got 1" "$sfprog" encode "$dir/arity.txt"
expect 4 "line 1: unknown op 'frobnicate'" "$sfprog" encode "$dir/op.txt"
expect 0 "" "$sfprog" encode "$dir/good.txt" -o "$dir/good.bin"
expect 0 "" "$sfprog" decode "$dir/good.bin"
grep -q '^kfree @0$' "$dir/out" || { echo "FAIL: decode lost 'kfree @0'"; fail=1; }

# a failed encode leaves an existing output untouched
cp "$dir/good.bin" "$dir/keep.bin"
expect 4 "line 2" "$sfprog" encode "$dir/bad.txt" -o "$dir/keep.bin"
cmp -s "$dir/good.bin" "$dir/keep.bin" || { echo "FAIL: failed encode changed its output"; fail=1; }
ls "$dir" | grep -q tmp && { echo "FAIL: temporary file left behind"; fail=1; }

# corpus: a parse error anywhere writes nothing at all
mkdir -p "$dir/src/fuzz_x" "$dir/out1"
cp "$dir/good.txt" "$dir/src/fuzz_x/a.txt"
cp "$dir/bad.txt" "$dir/src/fuzz_x/b.txt"
expect 4 "b.txt: line 2" "$sfprog" corpus "$dir/src" "$dir/out1"
[ -z "$(ls "$dir/out1")" ] || { echo "FAIL: corpus wrote despite a parse error"; fail=1; }
rm "$dir/src/fuzz_x/b.txt"
expect 0 "" "$sfprog" corpus "$dir/src" "$dir/out1"
expect 0 "" "$sfprog" corpus --check "$dir/src" "$dir/out1"
name=$(sha1sum "$dir/good.bin" | cut -c1-40)
[ -f "$dir/out1/fuzz_x/$name" ] || { echo "FAIL: corpus file not named by its sha1"; fail=1; }
rm "$dir/out1/fuzz_x/$name"
expect 1 "missing or stale" "$sfprog" corpus --check "$dir/src" "$dir/out1"

# corpus writes each target's dictionary of whole ops, and checks it
mkdir -p "$dir/src/fuzz_slab" "$dir/out2"
cp "$dir/good.txt" "$dir/src/fuzz_slab/a.txt"
expect 0 "" "$sfprog" corpus "$dir/src" "$dir/out2"
grep -q '^kmem_cache_alloc_0="' "$dir/out2/fuzz_slab.dict" || { echo "FAIL: no whole-op dictionary"; fail=1; }
grep -q '^kmalloc_' "$dir/out2/fuzz_slab.dict" && { echo "FAIL: fuzz_slab's dictionary has kmalloc ops"; fail=1; }
echo '# edited' >>"$dir/out2/fuzz_slab.dict"
expect 1 "fuzz_slab.dict is missing or stale" "$sfprog" corpus --check "$dir/src" "$dir/out2"
expect 2 "unknown target 'fuzz_x'" "$sfprog" dict fuzz_x

# upgrade: v1 "kmalloc 8 GFP_KERNEL; kfree #0" -> v2 "kfree @0"
mkdir -p "$dir/fuzz_kmalloc"
printf '\000\000\000\000\005\000\000\000\006\000' >"$dir/fuzz_kmalloc/v1"
expect 0 "2 ops, 0 dropped" "$sfprog" upgrade "$dir/fuzz_kmalloc/v1" "$dir/v2"
expect 0 "" "$sfprog" decode "$dir/v2"
grep -q '^kmalloc 8 GFP_KERNEL$' "$dir/out" && grep -q '^kfree @0$' "$dir/out" ||
	{ echo "FAIL: upgrade: wrong program:"; cat "$dir/out"; fail=1; }
# format 1 picked "live object number b mod count" from a swap-remove
# list: three kfree #0 after three kmallocs free ops 0, 2, 1
k='\000\005\000\000\000' f='\006\000'
printf "\000\000\000$k$k$k$f$f$f" >"$dir/fuzz_kmalloc/v1b"
expect 0 "6 ops" "$sfprog" upgrade "$dir/fuzz_kmalloc/v1b" "$dir/v2b"
expect 0 "" "$sfprog" decode "$dir/v2b"
[ "$(grep '^kfree' "$dir/out" | tr '\n' ' ')" = "kfree @0 kfree @2 kfree @1 " ] ||
	{ echo "FAIL: upgrade: wrong handles:"; cat "$dir/out"; fail=1; }
cp "$dir/fuzz_kmalloc/v1" "$dir/v1"
expect 2 "cannot tell the target" "$sfprog" upgrade "$dir/v1" "$dir/v2b"
expect 2 "unknown target 'fuzz_x'" "$sfprog" upgrade --target fuzz_x "$dir/v1" "$dir/v2b"
expect 3 "no-such" "$sfprog" upgrade --target fuzz_slab "$dir/no-such" "$dir/v2b"
expect 2 usage "$sfprog" upgrade "$dir/v1"

[ $fail = 0 ] && echo "sfprog error handling: ok"
exit $fail
