# The check the slabfuzz CLI tests share (test_slabfuzz.sh, test_repro.sh),
# sourced, not run: one command's exit status and output, and the rules
# every command keeps on bad input (a one-line error, never a sanitizer
# report). The sourcing script sets $dir (a scratch folder, for the
# command's out and err) and $fail (set to 1 on a failure).
#
# expect STATUS PATTERN CMD...
#   CMD must exit STATUS and print PATTERN (a grep pattern; empty: any) on
#   stderr or stdout; a status of 2 or more must come with an error of at
#   most two lines.
expect() {
	want=$1 pat=$2
	shift 2
	"$@" >"$dir/out" 2>"$dir/err"
	got=$?
	if [ "$got" != "$want" ]; then
		echo "FAIL: '$*' exited $got, expected $want"; head -20 "$dir/err" "$dir/out"; fail=1
	elif [ -n "$pat" ] && ! grep -q -- "$pat" "$dir/err" "$dir/out"; then
		echo "FAIL: '$*': output lacks '$pat':"; cat "$dir/err" "$dir/out" | head -20; fail=1
	elif [ "$want" -ge 2 ] && [ "$(wc -l <"$dir/err")" -gt 2 ]; then
		echo "FAIL: '$*': error message longer than a line or two:"; cat "$dir/err"; fail=1
	fi
	if grep -q -e 'Sanitizer' -e 'runtime error' "$dir/err"; then
		echo "FAIL: '$*': a sanitizer report"; cat "$dir/err"; fail=1
	fi
}
