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

expect() {	# expect STATUS PATTERN CMD...  (PATTERN: in stderr, or in stdout for 0/1)
	want=$1 pat=$2
	shift 2
	"$@" >"$dir/out" 2>"$dir/err"
	got=$?
	if [ "$got" != "$want" ]; then
		echo "FAIL: '$*' exited $got, expected $want"; head -20 "$dir/err"; fail=1
	elif [ -n "$pat" ] && ! grep -q -- "$pat" "$dir/err" "$dir/out"; then
		echo "FAIL: '$*': output lacks '$pat':"; cat "$dir/err" "$dir/out" | head -20; fail=1
	elif [ "$want" -ge 2 ] && [ "$(wc -l <"$dir/err")" -gt 3 ]; then
		echo "FAIL: '$*': error message longer than a line or two:"; cat "$dir/err"; fail=1
	fi
	if grep -q -e 'Sanitizer' -e 'runtime error' "$dir/err"; then
		echo "FAIL: '$*': a sanitizer report"; cat "$dir/err"; fail=1
	fi
}

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

[ $fail = 0 ] && echo "slabfuzz: ok"
exit $fail
