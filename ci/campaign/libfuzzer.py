"""libFuzzer campaigns: one target at a time, for its share of the budget.

--jobs 1 runs the target in this machine's one process; a finding ends a
libFuzzer process, so the target is restarted on the grown corpus for
what is left of its time (at most MAX_RESTARTS times): a campaign finds
more than its first bug. --jobs N > 1 runs libFuzzer's own -fork=N, which
keeps going past crashes itself (-ignore_crashes=1).

The working corpus is build/campaign/<target>/corpus (libFuzzer adds what
it finds to its first corpus directory); crash files go to
build/campaign/<target>/findings/ (-artifact_prefix). --update-corpus
merges the working corpus into corpus/<target> with -merge=1, and
--mode prune rebuilds corpus/<target> as a minimal set of the same
coverage (prune()).
"""
import os
import re
import shutil
import subprocess
import threading
import time

from common import (ROOT, CAMPAIGN, files_in, libfuzzer_options, rel,
                    add_by_sha1, copy_atomic, sha1_file, SetupError)
from progress import Stat

MAX_RESTARTS = 8
FINDING_PREFIXES = ("crash-", "leak-", "timeout-", "oom-", "slow-unit-")

_NUM = {
    "execs": re.compile(r"^#(\d+)"),
    "cov": re.compile(r"\bcov: (\d+)"),
    "ft": re.compile(r"\bft: (\d+)"),
    "corpus": re.compile(r"\bcorp: (\d+)"),
    "rate": re.compile(r"\bexec/s:? (\d+)"),
}
_FORK_CRASH = re.compile(r"oom/timeout/crash: (\d+)/(\d+)/(\d+)")
_FINAL_EXECS = re.compile(r"stat::number_of_executed_units: *(\d+)")


def binary(target, preset="fuzz"):
    return os.path.join(ROOT, "build", preset, "harness", target)


def findings(target):
    d = os.path.join(CAMPAIGN, target, "findings")
    return [p for p in files_in(d) if os.path.basename(p).startswith(FINDING_PREFIXES)]


def _reader(proc, logf, stat, base):
    """Parses libFuzzer's status lines into STAT while copying them to the log."""
    for raw in proc.stderr:
        line = raw.decode("utf-8", "replace")
        logf.write(line)
        if not line.startswith("#") and "stat::" not in line:
            continue
        m = _FINAL_EXECS.search(line)
        if m:
            stat.execs = base["execs"] + int(m.group(1))
            continue
        vals = {k: int(r.search(line).group(1)) for k, r in _NUM.items() if r.search(line)}
        if "execs" in vals:
            vals["execs"] += base["execs"]
        for k, v in vals.items():
            setattr(stat, k, v)
        m = _FORK_CRASH.search(line)
        if m:
            stat.crashes = base["crashes"] + sum(int(g) for g in m.groups())


def _drop_crashing_seeds(corpus, found):
    """A corpus input that crashes would crash every restart as it loads:
    it leaves the working corpus (its crash file, named crash-<sha1> like
    the corpus's own <sha1> names, stays in findings/)."""
    for p in files_in(found):
        name = os.path.basename(p).split("-", 1)[-1]
        if os.path.isfile(os.path.join(corpus, name)):
            os.unlink(os.path.join(corpus, name))


def run(target, budget, jobs, display, seed, repeatable=False):
    """Fuzzes TARGET for BUDGET seconds from libFuzzer seed SEED (restart k
    uses SEED + k); returns its Stat. The targets' options weigh each
    input's execution time in the schedule, so two runs from one seed
    diverge; REPEATABLE turns that off, and the campaign then repeats but
    for where time cuts it."""
    work = os.path.join(CAMPAIGN, target)
    corpus, found = os.path.join(work, "corpus"), os.path.join(work, "findings")
    os.makedirs(found, exist_ok=True)
    stat = Stat(target, "" if jobs == 1 else "fork%d" % jobs, budget)
    stat.corpus = len(files_in(corpus))
    flags = libfuzzer_options(target)
    if repeatable:
        flags.append("-entropic_scale_per_exec_time=0")  # the last one counts
    if jobs > 1:
        flags += ["-fork=%d" % jobs, "-ignore_crashes=1", "-ignore_ooms=1",
                  "-ignore_timeouts=1"]
    base = {"execs": 0, "crashes": 0}
    deadline = time.monotonic() + budget
    with open(os.path.join(work, "log"), "a") as logf:
        for attempt in range(MAX_RESTARTS + 1):
            left = int(deadline - time.monotonic())
            if left < 1:
                break
            cmd = [binary(target), "-max_total_time=%d" % left, "-print_final_stats=1",
                   "-seed=%d" % (seed + attempt),
                   "-artifact_prefix=%s/" % found] + flags + [corpus]
            logf.write("$ %s\n" % " ".join(cmd))
            logf.flush()
            try:
                proc = subprocess.Popen(cmd, cwd=work, stdin=subprocess.DEVNULL,
                                        stdout=logf, stderr=subprocess.PIPE)
            except OSError as e:
                raise SetupError("%s: cannot run: %s" % (rel(cmd[0]), e))
            t = threading.Thread(target=_reader, args=(proc, logf, stat, dict(base)))
            t.start()
            while proc.poll() is None:
                time.sleep(0.5)
                stat.sample()
                display.update([stat])
            t.join()
            stat.crashes = max(stat.crashes, len(findings(target)))
            base = {"execs": stat.execs, "crashes": stat.crashes}
            if proc.returncode == 0 or jobs > 1:
                break
            if not findings(target):
                # an exit without a crash file is the tool failing, not a finding
                raise SetupError("%s exited %d without a crash file (see %s)" % (
                    target, proc.returncode, rel(os.path.join(work, "log"))))
            _drop_crashing_seeds(corpus, found)
    stat.end = time.monotonic()
    stat.corpus = len(files_in(corpus))
    stat.rate = int(stat.execs / max(stat.elapsed(), 1e-3))
    stat.sample()
    display.update([stat], final=True)
    return stat


def _merge(target, into, sources, log):
    """libFuzzer -merge=1: adds to INTO what of SOURCES adds coverage."""
    flags = [f for f in libfuzzer_options(target) if not f.startswith("-dict=")]
    control = os.path.join(CAMPAIGN, target, "merge.control")
    cmd = [binary(target), "-merge=1", "-merge_control_file=%s" % control] + flags + \
          [into] + list(sources)
    with open(log, "a") as f:
        f.write("$ %s\n" % " ".join(cmd))
        f.flush()
        r = subprocess.run(cmd, cwd=ROOT, stdout=f, stderr=subprocess.STDOUT,
                           stdin=subprocess.DEVNULL)
    if r.returncode != 0:
        raise SetupError("%s -merge=1 failed (see %s)" % (target, rel(log)))


def update_corpus(target, grown):
    """Adds to corpus/<target> the inputs of GROWN that add coverage;
    returns how many were added. Files land under a temporary name first."""
    dst = os.path.join(ROOT, "corpus", target)
    tmp = os.path.join(CAMPAIGN, target, "merge")
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(dst, tmp)
    _merge(target, tmp, [grown], os.path.join(CAMPAIGN, target, "merge.log"))
    added = add_by_sha1(dst, tmp)
    shutil.rmtree(tmp, ignore_errors=True)
    return added


def prune(target, keep):
    """Rebuilds corpus/<target> as libFuzzer's minimal merge of it,
    starting from KEEP (the inputs that must stay: the ones generated from
    corpus/src). Returns (before, after)."""
    dst = os.path.join(ROOT, "corpus", target)
    before = len(files_in(dst))
    tmp = os.path.join(CAMPAIGN, target, "prune")
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    keep_names = set()
    for p in keep:
        shutil.copyfile(p, os.path.join(tmp, os.path.basename(p)))
        keep_names.add(os.path.basename(p))
    _merge(target, tmp, [dst], os.path.join(CAMPAIGN, target, "prune.log"))
    kept = {sha1_file(p): p for p in files_in(tmp)}
    # add first, then remove: corpus/ is never left with less than both
    for name, p in kept.items():
        if not os.path.exists(os.path.join(dst, name)):
            copy_atomic(p, os.path.join(dst, name))
    for p in files_in(dst):
        if os.path.basename(p) not in kept and os.path.basename(p) not in keep_names:
            os.unlink(p)
    shutil.rmtree(tmp, ignore_errors=True)
    return before, len(files_in(dst))
