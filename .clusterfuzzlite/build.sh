#!/bin/bash -eu
# OSS-Fuzz / ClusterFuzzLite build: the targets of harness/targets.txt,
# compiled with $CC $CFLAGS (CMake takes $CFLAGS and $CXXFLAGS itself on its
# first configure, so no flags are set here) and linked with $CXX
# $LIB_FUZZING_ENGINE (the top-level CMakeLists.txt reads it), into $OUT,
# each with <target>_seed_corpus.zip (the files of corpus/<target>/, each
# named by the sha1 of its contents), <target>.dict and <target>.options.
#
# MemorySanitizer wants every instruction that touches the program's memory
# instrumented. Here that holds by construction: kalloc and the harness are
# plain C with no dependency but libc, which MSan intercepts, and every file
# of them is compiled with $CFLAGS (CMake gets no flags of its own in this
# build: see KALLOC_ENGINE_LINK in CMakeLists.txt). Nothing prebuilt is
# linked in: no third-party library, no assembly.
#
# Environment (set by OSS-Fuzz; ci/test-oss-fuzz sets the same locally):
# SRC, WORK, OUT, CC, CXX, CFLAGS, CXXFLAGS, LIB_FUZZING_ENGINE, SANITIZER.
# SLABFUZZ_SRC overrides the source tree ($SRC/slabfuzz).
src=${SLABFUZZ_SRC:-$SRC/slabfuzz}
build=$WORK/slabfuzz-build
targets=$(grep -E '^fuzz_[a-z0-9_]+$' "$src/harness/targets.txt")

cmake -S "$src" -B "$build" -G Ninja \
  -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKALLOC_TESTS=OFF -DKALLOC_BENCH=OFF
# shellcheck disable=SC2086
cmake --build "$build" -j "$(nproc)" --target $targets

for t in $targets; do
  cp "$build/harness/$t" "$OUT/$t"
  cp "$src/corpus/$t.dict" "$OUT/$t.dict"
  cp "$src/corpus/$t.options" "$OUT/$t.options"
  seeds=$WORK/seeds-$t
  rm -rf "$seeds" && mkdir -p "$seeds"
  for f in "$src/corpus/$t"/*; do
    [ -f "$f" ] || continue
    cp "$f" "$seeds/$(sha1sum "$f" | cut -d' ' -f1)"
  done
  rm -f "$OUT/${t}_seed_corpus.zip"
  (cd "$seeds" && zip -q -j "$OUT/${t}_seed_corpus.zip" ./*)
done
