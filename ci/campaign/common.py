"""Shared by the campaign runner (ci/fuzz): where things live, how tools are
run and installed, the target list and each target's libFuzzer options,
and writing files so that nothing already saved is ever half-written.

Every other module of ci/campaign/ imports this one and nothing above it:
common -> engines (libfuzzer, afl) -> triage -> coverage, plots -> report
-> main.
"""
import hashlib
import os
import shutil
import subprocess

ROOT = os.path.realpath(os.path.join(os.path.dirname(__file__), "..", ".."))
CAMPAIGN = os.path.join(ROOT, "build", "campaign")

EXIT_OK, EXIT_NEW_BUCKET, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A bad option or argument: one line, exit status 2."""


class SetupError(Exception):
    """A build, install or tool failure: one line, exit status 2."""


def log(msg):
    print("\n==> %s" % msg, flush=True)


def rel(path):
    """A path as the user should type it from the top of the tree."""
    try:
        r = os.path.relpath(path, ROOT)
    except ValueError:
        return path
    return path if r.startswith("..") else r


def need(*shell_functions):
    """Runs ci/lib.sh's installers (ci_need_toolchain, ci_need_afl, or
    'ci_need CMD PKG ...'): apt-get as root, otherwise the command to run."""
    script = ". ci/lib.sh && " + " && ".join(shell_functions)
    r = subprocess.run(["bash", "-c", script], cwd=ROOT)
    if r.returncode != 0:
        raise SetupError("missing tools could not be installed (%s)" % script)


def run_quiet(cmd, what, env=None, log_path=None):
    """Runs a build step; on failure, raises SetupError naming its log."""
    log_path = log_path or os.path.join(CAMPAIGN, "build.log")
    os.makedirs(os.path.dirname(log_path), exist_ok=True)
    with open(log_path, "a") as f:
        f.write("$ %s\n" % " ".join(cmd))
        f.flush()
        r = subprocess.run(cmd, cwd=ROOT, stdout=f, stderr=subprocess.STDOUT,
                           env=env)
    if r.returncode != 0:
        raise SetupError("%s failed (see %s)" % (what, rel(log_path)))


def jobs():
    return str(os.cpu_count() or 2)


def build_preset(preset, targets=None, env=None):
    """cmake --preset P && cmake --build --preset P [--target ...]."""
    run_quiet(["cmake", "--preset", preset], "configuring the %s preset" % preset, env)
    cmd = ["cmake", "--build", "--preset", preset, "-j", jobs()]
    if targets:
        cmd += ["--target"] + list(targets)
    run_quiet(cmd, "building the %s preset" % preset, env)


def all_targets():
    """harness/targets.txt: the one list of targets."""
    with open(os.path.join(ROOT, "harness", "targets.txt")) as f:
        return [l.strip() for l in f
                if l.strip().startswith("fuzz_") and l.strip().replace("_", "").isalnum()]


def libfuzzer_options(target):
    """corpus/TARGET.options' [libfuzzer] section as -key=value flags."""
    path = os.path.join(ROOT, "corpus", target + ".options")
    flags = []
    if not os.path.isfile(path):
        return flags
    section = None
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("["):
                section = line.strip("[]").strip()
                continue
            if section != "libfuzzer" or "=" not in line:
                continue
            key, value = (s.strip() for s in line.split("=", 1))
            if key == "dict":
                value = os.path.join(ROOT, "corpus", value)
            flags.append("-%s=%s" % (key, value))
    return flags


def option_value(target, key, default=None):
    for flag in libfuzzer_options(target):
        k, v = flag[1:].split("=", 1)
        if k == key:
            return v
    return default


def sha1_file(path):
    with open(path, "rb") as f:
        return hashlib.sha1(f.read()).hexdigest()


def write_atomic(path, data):
    """Writes to a temporary name beside PATH, then renames over it."""
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    tmp = "%s.tmp.%d" % (path, os.getpid())
    mode = "wb" if isinstance(data, bytes) else "w"
    with open(tmp, mode) as f:
        f.write(data)
    os.replace(tmp, path)


def copy_atomic(src, dst):
    tmp = "%s.tmp.%d" % (dst, os.getpid())
    shutil.copyfile(src, tmp)
    os.replace(tmp, dst)


def files_in(d):
    """The regular files directly in D (sorted), none if D is missing."""
    if not os.path.isdir(d):
        return []
    return sorted(os.path.join(d, n) for n in os.listdir(d)
                  if not n.startswith(".") and os.path.isfile(os.path.join(d, n)))


def fill_corpus(dst, *sources):
    """Copies every file of SOURCES into DST under its sha1, so that the
    same input is never held twice; returns how many DST holds."""
    os.makedirs(dst, exist_ok=True)
    for s in sources:
        for p in files_in(s):
            name = sha1_file(p)
            if not os.path.exists(os.path.join(dst, name)):
                shutil.copyfile(p, os.path.join(dst, name))
    return len(files_in(dst))
