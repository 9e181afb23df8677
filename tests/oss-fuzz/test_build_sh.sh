#!/usr/bin/env bash
# The OSS-Fuzz / ClusterFuzzLite build, run locally: .clusterfuzzlite/build.sh
# with the environment OSS-Fuzz's base-builder gives it (SRC, WORK, OUT, CC,
# CXX, CFLAGS, CXXFLAGS, LIB_FUZZING_ENGINE, SANITIZER), once per sanitizer:
# address, undefined, then memory when clang's MSan runtime is installed.
# After each build it checks $OUT's layout (every target of
# harness/targets.txt, executable, with <target>_seed_corpus.zip of files
# named by the sha1 of their contents, <target>.dict and <target>.options
# whose dict= names a file beside it) and runs every target briefly on its
# unzipped seed corpus, as the fuzzing infrastructure would.
#
#   tests/oss-fuzz/test_build_sh.sh [SANITIZER...] [--seconds S]
# exit: 0 all good, 1 a check failed, 2 setup error
set -euo pipefail
cd "$(dirname "$0")/../.."
. ci/lib.sh
ci_need clang clang zip zip unzip unzip sha1sum coreutils

seconds=3
sans=()
while [ $# -gt 0 ]; do
  case $1 in
    --seconds) seconds=$2; shift 2 ;;
    address|undefined|memory) sans+=("$1"); shift ;;
    *) echo "usage: $0 [address|undefined|memory ...] [--seconds S]" >&2; exit 2 ;;
  esac
done
msan_rt="$(clang -print-resource-dir)/lib/linux/libclang_rt.msan-x86_64.a"
if [ ${#sans[@]} -eq 0 ]; then
  sans=(address undefined)
  if [ -e "$msan_rt" ]; then sans+=(memory); else echo "no MSan runtime ($msan_rt): memory skipped"; fi
fi

# the flags of OSS-Fuzz's base-clang image, per sanitizer
ubsan_checks=array-bounds,bool,builtin,enum,float-divide-by-zero,function,integer-divide-by-zero,null,object-size,return,returns-nonnull-attribute,shift,signed-integer-overflow,unreachable,vla-bound,vptr
san_flags() {
  case $1 in
    address) echo "-fsanitize=address -fsanitize-address-use-after-scope" ;;
    undefined) echo "-fsanitize=$ubsan_checks -fno-sanitize-recover=$ubsan_checks" ;;
    memory) echo "-fsanitize=memory -fsanitize-memory-track-origins" ;;
  esac
}

work=$(mktemp -d /tmp/slabfuzz-oss.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src"
ln -s "$PWD" "$work/src/slabfuzz"
mapfile -t targets < <(ci_targets)
fail=0
bad() { echo "FAIL: $*"; fail=1; }

for san in "${sans[@]}"; do
  out=$work/out-$san
  mkdir -p "$out" "$work/work-$san"
  flags="-O1 -fno-omit-frame-pointer -gline-tables-only -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION $(san_flags "$san") -fsanitize=fuzzer-no-link"
  ci_log "build.sh, SANITIZER=$san"
  t0=$SECONDS
  if ! env SRC="$work/src" WORK="$work/work-$san" OUT="$out" CC=clang CXX=clang++ \
       CFLAGS="$flags" CXXFLAGS="$flags" LIB_FUZZING_ENGINE=-fsanitize=fuzzer \
       SANITIZER="$san" FUZZING_ENGINE=libfuzzer ARCHITECTURE=x86_64 \
       bash .clusterfuzzlite/build.sh >"$work/build-$san.log" 2>&1; then
    tail -20 "$work/build-$san.log"
    bad "build.sh failed under $san"
    continue
  fi
  echo "built in $((SECONDS - t0)) s"
  for t in "${targets[@]}"; do
    [ -x "$out/$t" ] || { bad "$san: \$OUT/$t missing or not executable"; continue; }
    [ -f "$out/$t.dict" ] || bad "$san: \$OUT/$t.dict missing"
    [ -f "$out/$t.options" ] || bad "$san: \$OUT/$t.options missing"
    d=$(sed -n 's/^ *dict *= *//p' "$out/$t.options")
    [ -z "$d" ] || [ -f "$out/$d" ] || bad "$san: $t.options names dict $d, not in \$OUT"
    zip=$out/${t}_seed_corpus.zip
    [ -f "$zip" ] || { bad "$san: $zip missing"; continue; }
    seeds=$work/seeds-$san-$t
    mkdir -p "$seeds"
    unzip -q "$zip" -d "$seeds"
    n=0
    for f in "$seeds"/*; do
      n=$((n + 1))
      [ "$(sha1sum "$f" | cut -d' ' -f1)" = "$(basename "$f")" ] || bad "$san: $t seed $(basename "$f") is not named by its sha1"
    done
    [ "$n" -gt 0 ] || bad "$san: $t's seed zip is empty"
    [ "$n" -eq "$(find "corpus/$t" -maxdepth 1 -type f | wc -l)" ] || bad "$san: $t's seed zip holds $n files, corpus/$t more"
    if ! (cd "$out" && "./$t" -max_total_time="$seconds" -max_len=1024 -dict="$t.dict" \
            -detect_leaks=0 -seed=1 "$seeds" >"$work/run-$san-$t.log" 2>&1); then
      tail -30 "$work/run-$san-$t.log"
      bad "$san: $t failed on its seed corpus"
    else
      echo "$san: $t ok ($n seeds, $(grep -oE '^#[0-9]+' "$work/run-$san-$t.log" | tail -1 | tr -d '#') execs in ${seconds}s)"
    fi
  done
done
[ $fail = 0 ] && echo "OSS-Fuzz build: all checks passed (${sans[*]})"
exit $fail
