#!/usr/bin/env bash
# End to end for one planted bug, from the crash file a fuzz run left to a
# reproducer (ci/mutants runs it for the mutants whose header says
# "E2E: yes", with the mutant applied):
#   1. slabfuzz triage: one new bucket with the expected title, not flaky;
#   2. its minimized input (triage minimizes): at most 10 ops;
#   3. slabfuzz replay --repeat 100 of it: one title, every time;
#   4. when slabfuzz has `repro`: the C program it emits compiles with the
#      command on its first line, run from the source tree, and prints the
#      same title and exits 1;
#   5. triage --accept adds the bucket to a scratch crashes/, and a second
#      triage of the same crash file calls it known and exits 0 (what lets
#      ci/fuzz's next run pass once the bucket is accepted).
# usage: finding.sh SLABFUZZ TARGET CRASH_FILE EXPECT SRC_DIR SCRATCH
#   EXPECT: a text the title must contain (the mutant's Expect: line)
# Prints one line, "e2e: ..." ; exit 0 all held, 1 a step failed.
set -u
sfz=$1 target=$2 crash=$3 expect=$4 src=$5 dir=$6
say() { echo "e2e: $*"; }
rm -rf "$dir" && mkdir -p "$dir/campaign/$target" "$dir/crashes" || exit 1
cp "$crash" "$dir/campaign/$target/crash-$(sha1sum "$crash" | cut -c1-40)"

"$sfz" triage --target "$target" --crashes "$dir/crashes" --json "$dir/triage.json" \
	"$dir/campaign" >"$dir/triage.log" 2>&1
rc=$?
[ $rc = 1 ] || { say "triage exited $rc, not 1 (a new bucket): $(tail -1 "$dir/triage.log")"; exit 1; }
nb=$(grep -c '"title": ' "$dir/triage.json")
[ "$nb" = 1 ] || { say "triage made $nb buckets, not 1"; exit 1; }
line=$(grep '"title": ' "$dir/triage.json")
title=$(printf '%s' "$line" | sed 's/.*"title": "\(.*\)", "target".*/\1/; s/\\"/"/g')
repro=$(printf '%s' "$line" | sed 's/.*"reproducer": "\([^"]*\)".*/\1/')
ops=$(printf '%s' "$line" | sed 's/.*"ops": \([0-9]*\).*/\1/')
[[ "$title" == *"$expect"* ]] || { say "title '$title' lacks '$expect'"; exit 1; }
printf '%s' "$line" | grep -q '"flaky": false' || { say "'$title' is flaky"; exit 1; }
[ -f "$repro" ] || { say "no reproducer $repro"; exit 1; }
[ "$ops" -le 10 ] || { say "the minimized input has $ops ops (more than 10)"; exit 1; }

got=$("$sfz" replay --target "$target" --repeat 100 "$repro" 2>&1)
[ "$got" = "$repro: $title" ] || { say "100 replays: '$got', want '$repro: $title'"; exit 1; }

repro_note="repro: slabfuzz has no repro subcommand yet"
if "$sfz" help 2>/dev/null | grep -q '^  repro '; then
	# it exits 1 for a program with a finding, as every subcommand does
	"$sfz" repro --target "$target" "$repro" -o "$dir/repro.c" >"$dir/repro.log" 2>&1
	rc=$?
	[ $rc -le 1 ] && [ -s "$dir/repro.c" ] ||
		{ say "slabfuzz repro exited $rc: $(tail -1 "$dir/repro.log")"; exit 1; }
	cmd=$(head -1 "$dir/repro.c" | sed 's|^/\* *||; s| *\*/$||; s|^[A-Za-z ]*: *||')
	cmd=${cmd//OUT.c/$dir/repro.c}
	case " $cmd " in *" -o "*) ;; *) cmd="$cmd -o '$dir/repro'" ;; esac
	(cd "$src" && eval "$cmd") >"$dir/cc.log" 2>&1 ||
		{ say "the first-line command '$cmd' does not build it: $(head -3 "$dir/cc.log")"; exit 1; }
	bin=$(printf '%s' "$cmd" | sed -n "s/.* -o '\{0,1\}\([^ ']*\).*/\1/p")
	case $bin in /*) ;; *) bin=$src/$bin ;; esac
	"$bin" >"$dir/run.log" 2>&1
	rc=$?
	[ $rc = 1 ] || { say "the reproducer exited $rc, not 1"; exit 1; }
	grep -qF -- "$title" "$dir/run.log" || { say "the reproducer does not print '$title'"; exit 1; }
	repro_note="repro compiles and prints it"
fi
"$sfz" triage --target "$target" --crashes "$dir/crashes" --accept \
	"$dir/campaign" >"$dir/accept.log" 2>&1
rc=$?
[ $rc = 1 ] || { say "triage --accept exited $rc, not 1 (a new bucket): $(tail -1 "$dir/accept.log")"; exit 1; }
[ -f "$dir/crashes/$target/$("$sfz" slug "$title")/meta.json" ] ||
	{ say "triage --accept wrote no bucket folder for '$title'"; exit 1; }
"$sfz" triage --target "$target" --crashes "$dir/crashes" --json "$dir/again.json" \
	"$dir/campaign" >"$dir/again.log" 2>&1
rc=$?
[ $rc = 0 ] || { say "triage after --accept exited $rc, not 0: $(tail -1 "$dir/again.log")"; exit 1; }
grep -q '"known": true' "$dir/again.json" || { say "the accepted bucket is not known"; exit 1; }

say "'$title': 1 bucket, $ops ops, 100 replays one title, $repro_note, known once accepted"
