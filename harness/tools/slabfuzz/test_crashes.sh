#!/bin/sh
# Every bucket folder of crashes/ (crashes/<target>/<slug>/) is complete and
# replays as its meta.json's status says, N times in fresh machines:
#   fixed     the input replays clean every time;
#   detected  every replay is clean with the misuse reported under the
#             bucket's title ("clean (detected: <title>)").
# The folder's name is its title's slug, program.txt is the input's text
# form, and the target is the folder's.
# usage: test_crashes.sh SLABFUZZ CRASHES_DIR REPEAT
set -u
sfz=$1
crashes=$2
repeat=$3
fail=0 n=0
field() { sed -n "s/^  \"$1\": \"\(.*\)\",\{0,1\}$/\1/p" "$2" | sed 's/\\"/"/g; s/\\\\/\\/g'; }
for meta in "$crashes"/*/*/meta.json; do
	[ -e "$meta" ] || continue
	d=${meta%/meta.json}
	slug=${d##*/}
	t=${d%/*}; t=${t##*/}
	title=$(field title "$meta") status=$(field status "$meta") target=$(field target "$meta")
	inputs=$(ls "$d" | grep -E '^[0-9a-f]{40}$')
	n=$((n + 1))
	if [ "$(echo "$inputs" | grep -c .)" != 1 ]; then
		echo "FAIL: $d: holds $(echo "$inputs" | grep -c .) inputs named by sha1, not one"; fail=1; continue
	fi
	in=$d/$inputs
	[ "$(sha1sum "$in" | cut -c1-40)" = "$inputs" ] || { echo "FAIL: $in: not named by its sha1"; fail=1; }
	[ "$target" = "$t" ] || { echo "FAIL: $meta: target '$target' in folder $t"; fail=1; }
	want_slug=$(printf '%s' "$title" | tr -c 'A-Za-z0-9-' '-' | tr -s '-' | sed 's/^-//; s/-$//')
	[ "$slug" = "$want_slug" ] || { echo "FAIL: $d: folder is not the slug of '$title' ($want_slug)"; fail=1; }
	for f in program.txt report.txt; do
		[ -f "$d/$f" ] || { echo "FAIL: $d: no $f"; fail=1; }
	done
	"$sfz" decode "$in" | cmp -s - "$d/program.txt" || { echo "FAIL: $d/program.txt is not the input's text form"; fail=1; }
	grep -q '"first_seen": "[0-9]\{4\}-[0-9][0-9]-[0-9][0-9]"' "$meta" || { echo "FAIL: $meta: no first_seen date"; fail=1; }
	grep -q '"command": "slabfuzz replay crashes/'"$t/$slug/$inputs"'"' "$meta" || { echo "FAIL: $meta: no command replaying it"; fail=1; }
	case $status in
	fixed) want="$in: clean" ;;
	detected) want="$in: clean (detected: $title)" ;;
	*) echo "FAIL: $meta: status '$status' is neither fixed nor detected"; fail=1; continue ;;
	esac
	got=$("$sfz" replay --repeat "$repeat" "$in" 2>&1)
	if [ "$got" != "$want" ]; then
		echo "FAIL: $d ($status), $repeat replays:"; echo "  got:  $got"; echo "  want: $want"; fail=1
	fi
done
[ $n -gt 0 ] || { echo "FAIL: no bucket folders in $crashes"; fail=1; }
[ $fail = 0 ] && echo "crashes: $n buckets, each as its status says in $repeat replays"
exit $fail
