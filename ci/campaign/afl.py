"""AFL++ campaigns: per target, one -M main and --jobs - 1 -S secondaries
sharing one sync dir (build/campaign/<target>/afl/), all for the target's
share of the budget (-V).

  main  loads the structure-aware mutator (AFL_CUSTOM_MUTATOR_LIBRARY =
        build/release/harness/libsfmutator_<target>.so);
  sec1  runs CMPLOG (-c build/afl-cmplog/harness/<target>, the same
        target built with AFL_LLVM_CMPLOG=1); with --jobs 1 main does;
  sec2+ plain havoc with other power schedules (explore, exploit, ...).

Progress comes from each instance's plot_data (written every few
seconds) and the final figures from its fuzzer_stats. Crashes are
<sync>/<instance>/crashes/id:*, which triage reads where they lie.
--update-corpus runs afl-cmin over corpus/<target> and every queue.
"""
import os
import shutil
import subprocess
import time

from common import (ROOT, CAMPAIGN, files_in, fill_corpus, rel, add_by_sha1,
                    run_quiet, jobs as build_jobs, SetupError)
from progress import Stat

SCHEDULES = ["explore", "exploit", "coe", "fast", "rare"]
# the afl preset's cache variables (CMakePresets.json), for the CMPLOG twin
AFL_CACHE = ["-DCMAKE_C_COMPILER=afl-clang-fast", "-DCMAKE_CXX_COMPILER=afl-clang-fast++",
             "-DCMAKE_BUILD_TYPE=RelWithDebInfo", "-DCMAKE_C_FLAGS=-O1 -g",
             "-DKALLOC_AFL=ON", "-DKALLOC_TESTS=OFF", "-DKALLOC_BENCH=OFF"]


def binary(target, tree="afl"):
    return os.path.join(ROOT, "build", tree, "harness", target)


def mutator(target):
    return os.path.join(ROOT, "build", "release", "harness", "libsfmutator_%s.so" % target)


def build_cmplog(targets):
    """build/afl-cmplog: the afl preset's configuration, compiled with
    AFL_LLVM_CMPLOG=1 (CMPLOG needs a second, differently instrumented binary)."""
    env = dict(os.environ, AFL_LLVM_CMPLOG="1")
    tree = os.path.join(ROOT, "build", "afl-cmplog")
    run_quiet(["cmake", "-S", ROOT, "-B", tree, "-G", "Ninja"] + AFL_CACHE,
              "configuring build/afl-cmplog", env)
    run_quiet(["cmake", "--build", tree, "-j", build_jobs(), "--target"] + list(targets),
              "building build/afl-cmplog", env)


def instances(n):
    """[(name, flag, options)] for N instances."""
    out = [("main", "-M", {"mutator": True, "cmplog": n == 1})]
    for i in range(1, n):
        out.append(("sec%d" % i, "-S", {"cmplog": i == 1,
                                         "schedule": SCHEDULES[(i - 2) % len(SCHEDULES)] if i >= 2 else None}))
    return out


def _plot_row(path):
    """The last row of an instance's plot_data, keyed by its header."""
    try:
        with open(path) as f:
            lines = f.read().splitlines()
    except OSError:
        return {}
    head = next((l for l in lines if l.startswith("#")), None)
    rows = [l for l in lines if l and not l.startswith("#")]
    if not head or not rows:
        return {}
    keys = [k.strip() for k in head.lstrip("# ").split(",")]
    vals = [v.strip() for v in rows[-1].split(",")]
    return dict(zip(keys, vals))


def fuzzer_stats(inst_dir):
    out = {}
    try:
        with open(os.path.join(inst_dir, "fuzzer_stats")) as f:
            for line in f:
                if ":" in line:
                    k, v = line.split(":", 1)
                    out[k.strip()] = v.strip()
    except OSError:
        pass
    return out


def _num(v):
    try:
        return int(float(str(v).rstrip("%")))
    except ValueError:
        return 0


def _plot_rows(path):
    """Every row of an instance's plot_data as (seconds, execs, exec/s,
    edges, 0, corpus, crashes): the Stat's samples in progress.py's order."""
    out = []
    try:
        with open(path) as f:
            lines = f.read().splitlines()
    except OSError:
        return out
    head = next((l for l in lines if l.startswith("#")), "")
    keys = [k.strip() for k in head.lstrip("# ").split(",")]
    for l in lines:
        if l and not l.startswith("#"):
            r = dict(zip(keys, (v.strip() for v in l.split(","))))
            out.append((_num(r.get("relative_time")), _num(r.get("total_execs")),
                        _num(r.get("execs_per_sec")), _num(r.get("edges_found")), 0,
                        _num(r.get("corpus_count")), _num(r.get("saved_crashes"))))
    return out


def _update(stat, inst_dir, final=False):
    row = _plot_row(os.path.join(inst_dir, "plot_data"))
    if not row:
        # plot_data comes only once the seeds are calibrated: count files
        stat.corpus = len(files_in(os.path.join(inst_dir, "queue")))
        stat.crashes = len([p for p in files_in(os.path.join(inst_dir, "crashes"))
                            if os.path.basename(p).startswith("id:")])
    if row:
        stat.execs = _num(row.get("total_execs", stat.execs))
        stat.rate = _num(row.get("execs_per_sec", stat.rate))
        stat.cov = _num(row.get("edges_found", stat.cov))
        stat.corpus = _num(row.get("corpus_count", row.get("paths_total", stat.corpus)))
        stat.crashes = _num(row.get("saved_crashes", row.get("unique_crashes", stat.crashes)))
    fs = fuzzer_stats(inst_dir)
    if fs and final:
        stat.execs = _num(fs.get("execs_done", stat.execs))
        stat.rate = _num(fs.get("execs_per_sec", stat.rate))
        stat.cov = _num(fs.get("edges_found", stat.cov))
        stat.corpus = _num(fs.get("corpus_count", stat.corpus))
        stat.crashes = _num(fs.get("saved_crashes", fs.get("unique_crashes", stat.crashes)))
        stat.stability = fs.get("stability", "")
    if fs:
        stat.edges_total = _num(fs.get("total_edges", 0)) or stat.edges_total
    if not stat.edges_total:
        stat.edges_total = _num(row.get("map_size", 0)) if row and "%" not in row.get("map_size", "%") else 0


def findings(target):
    sync = os.path.join(CAMPAIGN, target, "afl")
    out = []
    if os.path.isdir(sync):
        for inst in sorted(os.listdir(sync)):
            out += [p for p in files_in(os.path.join(sync, inst, "crashes"))
                    if os.path.basename(p).startswith("id:")]
    return out


def run(target, budget, njobs, display, seed):
    """Fuzzes TARGET with NJOBS AFL++ instances for BUDGET seconds; returns
    one Stat per instance."""
    work = os.path.join(CAMPAIGN, target)
    seeds, sync = os.path.join(work, "corpus"), os.path.join(work, "afl")
    dict_path = os.path.join(ROOT, "corpus", target + ".dict")
    env = dict(os.environ, AFL_SKIP_CPUFREQ="1", AFL_NO_UI="1", AFL_NO_AFFINITY="1",
               AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES="1", AFL_SUPPRESS_MAP_SIZE_WARNING="1",
               ASAN_OPTIONS="abort_on_error=1:detect_leaks=0:symbolize=0")
    procs, stats = [], []
    logf = open(os.path.join(work, "log"), "a")
    for k, (name, flag, o) in enumerate(instances(njobs)):
        cmd = ["afl-fuzz", "-i", seeds, "-o", sync, flag, name, "-V", str(budget), "-m", "none",
               "-s", str(seed + k)]
        if os.path.isfile(dict_path):
            cmd += ["-x", dict_path]
        if o.get("cmplog"):
            cmd += ["-c", binary(target, "afl-cmplog")]
        if o.get("schedule"):
            cmd += ["-p", o["schedule"]]
        cmd += ["--", binary(target)]
        e = dict(env)
        if o.get("mutator"):
            e["AFL_CUSTOM_MUTATOR_LIBRARY"] = mutator(target)
        logf.write("$ %s%s\n" % ("AFL_CUSTOM_MUTATOR_LIBRARY=%s " % rel(mutator(target))
                                 if o.get("mutator") else "", " ".join(cmd)))
        logf.flush()
        try:
            procs.append(subprocess.Popen(cmd, cwd=work, env=e, stdin=subprocess.DEVNULL,
                                          stdout=logf, stderr=subprocess.STDOUT))
        except OSError as err:
            raise SetupError("afl-fuzz: cannot run: %s" % err)
        stats.append(Stat(target, name, budget))
    # afl-fuzz's -V counts from its start; kill any that overstays by far
    deadline = time.monotonic() + budget + 60
    while any(p.poll() is None for p in procs):
        time.sleep(1)
        for s in stats:
            _update(s, os.path.join(sync, s.instance))
            s.sample()
        display.update(stats)
        if time.monotonic() > deadline:
            for p in procs:
                if p.poll() is None:
                    p.terminate()
    logf.close()
    for s, p in zip(stats, procs):
        s.end = time.monotonic()
        _update(s, os.path.join(sync, s.instance), final=True)
        s.sample()
        rows = _plot_rows(os.path.join(sync, s.instance, "plot_data"))
        if len(rows) >= 2:
            s.samples = rows     # AFL++'s own time series is the truer one
        if p.returncode != 0 and not os.path.isfile(os.path.join(sync, s.instance, "fuzzer_stats")):
            raise SetupError("afl-fuzz %s/%s failed (exit %d, see %s)" % (
                target, s.instance, p.returncode, rel(os.path.join(work, "log"))))
    display.update(stats, final=True)
    return stats


# afl-plot refuses a plot_data of fewer lines than this (its header and two
# rows): "plot_data carries too little data, let it run longer".
AFL_PLOT_MIN_ROWS = 2


def plot(target, outdir):
    """afl-plot of every instance into OUTDIR/<instance>/. Returns (dirs
    drawn, notes): a note says why an instance got no afl-plot pages.

    AFL++ (4.04c, Debian's) appends a row to plot_data only once an
    instance has run a minute, then every 5 s if something changed, plus
    one row at exit: an instance of a short campaign (ci/fuzz --time 120
    gives each target about 17 s) has one row, and afl-plot will not draw
    it. Its curve is then only the gnuplot plot (plots.draw()), drawn from
    the same plot_data and the campaign's samples; the note says so."""
    sync = os.path.join(CAMPAIGN, target, "afl")
    made, notes = [], []
    if not os.path.isdir(sync):
        return made, notes
    for inst in sorted(os.listdir(sync)):
        src = os.path.join(sync, inst)
        data = os.path.join(src, "plot_data")
        if not os.path.isfile(data):
            continue
        rows = len(_plot_rows(data))
        if rows < AFL_PLOT_MIN_ROWS:
            notes.append("%s/%s: no afl-plot pages: its plot_data holds %d row%s, and "
                         "afl-plot needs %d (AFL++ writes a row only after an instance's "
                         "first minute, and one at exit); the gnuplot plot above is drawn "
                         "from the same plot_data" % (target, inst, rows, "" if rows == 1 else "s",
                                                      AFL_PLOT_MIN_ROWS))
            continue
        if not shutil.which("afl-plot"):
            notes.append("%s/%s: no afl-plot pages: afl-plot is not installed" % (target, inst))
            continue
        dst = os.path.join(outdir, inst)
        os.makedirs(dst, exist_ok=True)
        r = subprocess.run(["afl-plot", src, dst], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT)
        if r.returncode == 0 and os.path.isfile(os.path.join(dst, "index.html")):
            made.append(dst)
        else:
            why = r.stdout.decode("utf-8", "replace").strip().splitlines()
            notes.append("%s/%s: afl-plot failed (exit %d): %s" % (
                target, inst, r.returncode, why[-1] if why else "no output"))
    return made, notes


def update_corpus(target):
    """afl-cmin over corpus/<target> and every instance's queue; adds what
    the minimal set holds beyond corpus/<target>. Returns how many."""
    work = os.path.join(CAMPAIGN, target)
    pool, out = os.path.join(work, "cmin-in"), os.path.join(work, "cmin-out")
    for d in (pool, out):
        shutil.rmtree(d, ignore_errors=True)
    dst = os.path.join(ROOT, "corpus", target)
    queues = [os.path.join(work, "afl", i, "queue") for i in
              sorted(os.listdir(os.path.join(work, "afl")))]
    fill_corpus(pool, dst, *queues)
    env = dict(os.environ, AFL_SKIP_CPUFREQ="1", ASAN_OPTIONS="abort_on_error=1:detect_leaks=0:symbolize=0")
    with open(os.path.join(work, "cmin.log"), "w") as f:
        r = subprocess.run(["afl-cmin", "-i", pool, "-o", out, "-m", "none", "--", binary(target)],
                           cwd=work, env=env, stdout=f, stderr=subprocess.STDOUT,
                           stdin=subprocess.DEVNULL)
    if r.returncode != 0:
        raise SetupError("afl-cmin %s failed (see %s)" % (target, rel(os.path.join(work, "cmin.log"))))
    return add_by_sha1(dst, out)
