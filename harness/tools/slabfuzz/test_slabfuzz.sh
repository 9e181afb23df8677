#!/bin/sh
# slabfuzz's subcommands on good and bad input: each kind of bad input is a
# one-line error with its own exit status (2 usage, 3 I/O, 4 malformed),
# never a crash or a sanitizer report, and a failure leaves no file behind.
# usage: test_slabfuzz.sh SLABFUZZ SCRATCH_DIR
set -u
sfz=$1
dir=$2
fail=0
rm -rf "$dir" && mkdir -p "$dir" || exit 1

. "$(dirname "$0")/expect.sh"

printf 'config mem=8M cpus=2\nkmalloc 64 GFP_KERNEL\nkfree @0\n' >"$dir/good.txt"
printf 'kmalloc 64 GFP_KERNEL\nkmalloc sixty GFP_KERNEL\n' >"$dir/bad.txt"
printf 'kmalloc 64 GFP_KERNEL\nkmal' >"$dir/truncated.txt"
printf 'kmalloc 64\000 GFP_KERNEL\n' >"$dir/nul.txt"
: >"$dir/empty"
head -c 2000000 /dev/zero >"$dir/huge"
printf '\001\002' >"$dir/short"

# the command and its table
expect 2 "usage" "$sfz"
expect 2 "unknown subcommand 'frob'" "$sfz" frob
expect 0 "decode" "$sfz" help
expect 0 "usage: slabfuzz decode FILE" "$sfz" decode --help

# slug: the bucket folder names, case kept, one run of other bytes one '-'
expect 2 "usage" "$sfz" slug
expect 0 "^kalloc-slab-Poison-overwritten-in-kmalloc-64$" "$sfz" slug "kalloc: slab: Poison overwritten in kmalloc-64"
expect 0 "^AddressSanitizer-heap-use-after-free-READ-in-kfree-op-kfree$" "$sfz" slug "  AddressSanitizer: heap-use-after-free READ in kfree, op_kfree!"
expect 0 "^untitled$" "$sfz" slug ": ,"
[ "$(wc -l <"$dir/out")" = 1 ] || { echo "FAIL: slug printed more than a line"; fail=1; }

# decode
expect 2 "usage" "$sfz" decode
expect 2 "usage" "$sfz" decode a b
expect 3 "no-such: No such file" "$sfz" decode "$dir/no-such"
expect 3 "is a directory" "$sfz" decode "$dir"
expect 4 "empty file" "$sfz" decode "$dir/empty"
expect 4 "too large" "$sfz" decode "$dir/huge"
expect 0 "" "$sfz" decode "$dir/short"

# encode
expect 2 "usage" "$sfz" encode
expect 2 "usage" "$sfz" encode -o
expect 3 "no-such" "$sfz" encode "$dir/no-such.txt" -o "$dir/x"
expect 4 "empty file" "$sfz" encode "$dir/empty" -o "$dir/x"
expect 4 "line 2: bad size 'sixty'" "$sfz" encode "$dir/bad.txt" -o "$dir/x"
expect 4 "line 2: unknown op 'kmal'" "$sfz" encode "$dir/truncated.txt" -o "$dir/x"
expect 4 "binary data" "$sfz" encode "$dir/nul.txt" -o "$dir/x"
[ -e "$dir/x" ] && { echo "FAIL: a failed encode wrote its output"; fail=1; }
expect 0 "" "$sfz" encode "$dir/good.txt" -o "$dir/good.bin"
cp "$dir/good.bin" "$dir/keep.bin"
expect 4 "line 2" "$sfz" encode "$dir/bad.txt" -o "$dir/keep.bin"
cmp -s "$dir/good.bin" "$dir/keep.bin" || { echo "FAIL: failed encode changed its output"; fail=1; }
expect 0 "" "$sfz" decode "$dir/good.bin"
grep -q '^kfree @0$' "$dir/out" || { echo "FAIL: decode lost 'kfree @0'"; fail=1; }
"$sfz" decode "$dir/good.bin" >"$dir/again.txt" && "$sfz" encode "$dir/again.txt" -o "$dir/again.bin" &&
	cmp -s "$dir/good.bin" "$dir/again.bin" || { echo "FAIL: decode/encode round trip differs"; fail=1; }
ls "$dir" | grep -q tmp && { echo "FAIL: temporary file left behind"; fail=1; }

# replay: the target from --target or the folder; one line per file
mkdir -p "$dir/fuzz_kmalloc" "$dir/fuzz_misuse" "$dir/nowhere"
cp "$dir/good.bin" "$dir/fuzz_kmalloc/good"
cp "$dir/good.bin" "$dir/nowhere/good"
printf 'config mem=8M cpus=1\nkmalloc 64 GFP_KERNEL\ndouble_free @0 0\n' >"$dir/df.txt"
"$sfz" encode "$dir/df.txt" -o "$dir/fuzz_misuse/df" || fail=1
expect 2 "usage" "$sfz" replay
expect 2 "usage" "$sfz" replay --frob "$dir/fuzz_kmalloc/good"
expect 2 "wants a number" "$sfz" replay --repeat 0 "$dir/fuzz_kmalloc/good"
expect 2 "wants a number" "$sfz" replay --repeat x "$dir/fuzz_kmalloc/good"
expect 2 "unknown target 'fuzz_x'" "$sfz" replay --target fuzz_x "$dir/fuzz_kmalloc/good"
expect 2 "cannot tell the target" "$sfz" replay "$dir/nowhere/good"
expect 3 "no-such: No such file" "$sfz" replay --target fuzz_slab "$dir/no-such"
expect 3 "is a directory" "$sfz" replay --target fuzz_slab "$dir"
expect 4 "empty file" "$sfz" replay --target fuzz_slab "$dir/empty"
expect 4 "too large" "$sfz" replay --target fuzz_slab "$dir/huge"
expect 0 "fuzz_kmalloc/good: clean$" "$sfz" replay "$dir/fuzz_kmalloc/good"
expect 0 "short: clean$" "$sfz" replay --target fuzz_buddy "$dir/short"
expect 0 "nowhere/good: clean$" "$sfz" replay --target fuzz_slab --repeat 5 "$dir/nowhere/good"
# an ASan build's KASAN catches the double free first, as the kernel's does
case $("$sfz" replay "$dir/fuzz_misuse/df") in
*"KASAN: double-free in kfree"*)
	df_title="kalloc: KASAN: double-free in kfree" df_slug=kalloc-KASAN-double-free-in-kfree
	df_bug="^BUG: KASAN: double-free in kfree" ;;
*)	df_title="kalloc: slab: double free in kmalloc-64" df_slug=kalloc-slab-double-free-in-kmalloc-64
	df_bug="^BUG kmalloc-64 (Not tainted): Object already free" ;;
esac
expect 0 "df: clean (detected: $df_title)$" \
	"$sfz" replay --repeat 20 "$dir/fuzz_misuse/df"
# outside fuzz_misuse a misuse op is a plain write: nothing to detect
expect 0 "df: clean$" "$sfz" replay --target fuzz_kmalloc "$dir/fuzz_misuse/df"
# a missing file among good ones: the others still run, the status says so
expect 3 "no-such" "$sfz" replay "$dir/fuzz_kmalloc/good" "$dir/fuzz_kmalloc/no-such"
grep -q "good: clean" "$dir/out" || { echo "FAIL: replay stopped at a missing file"; fail=1; }
expect 0 "op   0: kmalloc 64 GFP_KERNEL  = 0x" "$sfz" replay --trace "$dir/fuzz_misuse/df"
grep -q "op   1: double_free @0 0" "$dir/out" && grep -q "$df_bug" "$dir/out" ||
	{ echo "FAIL: the trace lacks an op or the expected report:"; cat "$dir/out"; fail=1; }

# minimize: a clean input has nothing to minimize and writes nothing
expect 2 "usage" "$sfz" minimize "$dir/fuzz_kmalloc/good"
expect 2 "usage" "$sfz" minimize -o "$dir/min"
expect 2 "cannot tell the target" "$sfz" minimize "$dir/nowhere/good" -o "$dir/min"
expect 3 "no-such" "$sfz" minimize --target fuzz_slab "$dir/no-such" -o "$dir/min"
expect 4 "empty file" "$sfz" minimize --target fuzz_slab "$dir/empty" -o "$dir/min"
expect 0 "clean: nothing to minimize" "$sfz" minimize "$dir/fuzz_kmalloc/good" -o "$dir/min"
[ -e "$dir/min" ] && { echo "FAIL: minimize of a clean input wrote its output"; fail=1; }
expect 0 "nothing detected: nothing to minimize" "$sfz" minimize --detected "$dir/fuzz_kmalloc/good" -o "$dir/min"
# --detected: a misuse among other ops shrinks to the ops it needs, and a
# simpler machine, with the same expected report
cat >"$dir/big.txt" <<'PROG'
config mem=16M cpus=2 debug=off merge=on random=on hardened=on dma32=on quarantine=0 init_on_alloc=on init_on_free=off seed=3
kmalloc 32 GFP_KERNEL
kmem_cache_create 100 0 ctor
kmem_cache_alloc_bulk @1 8 GFP_KERNEL
alloc_pages 1 GFP_KERNEL
vmalloc 3000
set_cpu 1
kmalloc 17 GFP_KERNEL|__GFP_ZERO
kzalloc 200 GFP_KERNEL
oob_write @6 0
kfree @7
validate
PROG
"$sfz" encode "$dir/big.txt" -o "$dir/fuzz_misuse/big" || fail=1
expect 0 "2 ops (from 11)" "$sfz" minimize --detected "$dir/fuzz_misuse/big" -o "$dir/fuzz_misuse/small"
grep -q '^config mem=4M cpus=1 debug=off merge=on random=off hardened=on dma32=off quarantine=0 init_on_alloc=off init_on_free=off seed=0 page_poison=off$' "$dir/out" &&
	grep -q '^kmalloc 17 GFP_KERNEL$' "$dir/out" && grep -q '^oob_write @\(0\|last\) 0$' "$dir/out" ||
	{ echo "FAIL: minimize --detected:"; cat "$dir/out"; fail=1; }
expect 0 "small: clean (detected: kalloc: slab: Redzone overwritten in kmalloc-32)$" \
	"$sfz" replay --repeat 10 "$dir/fuzz_misuse/small"

# triage
mkdir -p "$dir/camp/fuzz_kmalloc" "$dir/nocrash" "$dir/crashes"
cp "$dir/good.bin" "$dir/camp/fuzz_kmalloc/crash-0123"
cp "$dir/good.bin" "$dir/nocrash/queue-entry"
expect 2 "usage" "$sfz" triage
expect 2 "unknown target 'fuzz_x'" "$sfz" triage --target fuzz_x "$dir/camp"
expect 3 "no-such" "$sfz" triage "$dir/no-such"
expect 3 "not a directory" "$sfz" triage "$dir/good.bin"
expect 4 "no crash files" "$sfz" triage "$dir/nocrash"
expect 0 "crash-0123: clean: does not reproduce" \
	"$sfz" triage --crashes "$dir/crashes" --json "$dir/t.json" "$dir/camp"
grep -q '^{"buckets": \[\]}$' "$dir/t.json" || { echo "FAIL: triage json:"; cat "$dir/t.json"; fail=1; }
# --detected: a hand-written misuse program becomes a detected bucket
mkdir -p "$dir/seeds/fuzz_misuse"
cp "$dir/fuzz_misuse/df" "$dir/seeds/fuzz_misuse/df"
expect 1 "$df_title .* new " \
	"$sfz" triage --detected --accept --crashes "$dir/crashes" --json "$dir/d.json" "$dir/seeds"
b=$dir/crashes/fuzz_misuse/$df_slug
grep -q '"status": "detected"' "$b/meta.json" && grep -q "$df_bug" "$b/report.txt" &&
	grep -q '^double_free @0 0$' "$b/program.txt" ||
	{ echo "FAIL: --accept wrote no complete bucket:"; ls -l "$b"; fail=1; }
grep -q "\"title\": \"$df_title\", \"target\": \"fuzz_misuse\", \"count\": 1, \"known\": false, \"flaky\": false, \"reproducer\": \"" "$dir/d.json" ||
	{ echo "FAIL: triage --json:"; cat "$dir/d.json"; fail=1; }
expect 0 "$df_title .* known " \
	"$sfz" triage --detected --crashes "$dir/crashes" "$dir/seeds"
sh "$(dirname "$0")/test_crashes.sh" "$sfz" "$dir/crashes" 3 >"$dir/tc" 2>&1 ||
	{ echo "FAIL: an accepted bucket fails test_crashes.sh:"; cat "$dir/tc"; fail=1; }

[ $fail = 0 ] && echo "slabfuzz: ok"
exit $fail
