# Shared by the ci/ scripts: dependency installation and small helpers.
# Sourced, not run.

ci_log() { printf '\n==> %s\n' "$*"; }
ci_die() { printf 'ci: %s\n' "$*" >&2; exit 2; }

# ci_need CMD PACKAGE [CMD PACKAGE ...]: install the Debian package for each
# missing command. As root it runs apt-get; otherwise it prints the command
# and stops, so nothing is installed behind the user's back.
ci_need() {
  local missing=()
  while [ $# -ge 2 ]; do
    local cmd=$1 pkg=$2; shift 2
    case $cmd in
      /*) [ -e "$cmd" ] || missing+=("$pkg") ;;
      *) command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg") ;;
    esac
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  # one package may serve several commands
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
  if [ "$(id -u)" != 0 ]; then
    ci_die "missing packages; run: sudo apt-get update && sudo apt-get install -y ${missing[*]}"
  fi
  ci_log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "${CI_APT_UPDATED:-}" ]; then
    apt-get update -qq >/dev/null || ci_die "apt-get update failed"
    CI_APT_UPDATED=1
  fi
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || ci_die "apt-get install ${missing[*]} failed"
}

# The toolchain every build needs: both compilers, cmake, ninja, the clang
# sanitizer and libFuzzer runtimes, and llvm-symbolizer for readable stacks.
ci_need_toolchain() {
  ci_need gcc gcc cmake cmake ninja ninja-build clang clang \
          llvm-symbolizer llvm llvm-profdata llvm \
          /usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a libclang-rt-14-dev \
          python3 python3
}

# AFL++ (afl-clang-fast, afl-fuzz, afl-cmin, afl-tmin, afl-whatsup) and
# gnuplot for afl-plot: what the afl preset and AFL++ campaigns need.
ci_need_afl() {
  ci_need afl-clang-fast afl++ afl-fuzz afl++ gnuplot gnuplot-nox
}

ci_jobs() { nproc 2>/dev/null || echo 2; }

# The fuzz targets, one per line, from harness/targets.txt (the one list).
ci_targets() { grep -E '^fuzz_[a-z0-9_]+$' harness/targets.txt; }

# ci_libfuzzer_options TARGET: the libFuzzer flags of corpus/TARGET.options
# ([libfuzzer] key = value), one per line.
ci_libfuzzer_options() {
  local file=corpus/$1.options key value
  [ -f "$file" ] || return 0
  while IFS='=' read -r key value; do
    key=$(echo "$key" | tr -d ' ') value=$(echo "$value" | tr -d ' ')
    case $key in ''|'#'*|'['*) continue ;; dict) value=corpus/$value ;; esac
    printf -- '-%s=%s\n' "$key" "$value"
  done <"$file"
}
