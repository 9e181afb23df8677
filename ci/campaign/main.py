"""ci/fuzz: the campaign runner. Options, the order of a campaign, the
final table and the exit status; the engines, triage, coverage, plots
and the report are the other files of ci/campaign/.

A campaign (modes code-change and batch): build, fuzz every target in
turn for its share of --time (libFuzzer, AFL++ or both), triage what was
found into buckets, print a table per target and each new bucket's
reproducer commands, measure coverage, draw the plots, write
build/campaign/campaign.json (and --json FILE) and report.html. Exit 0
when no new bucket appeared, 1 when one did, 2 for a usage, setup or
build error.

Modes, with ClusterFuzzLite's meanings:
  code-change  (default) the pull-request job: a short run from the
               checked-in corpus; only new buckets fail it.
  batch        the long scheduled job: the grown corpora under
               build/campaign/<target>/corpus/ are kept from run to run
               and grow (default --time 3600).
  prune        no fuzzing: shrinks corpus/<target>/ to a minimal set with
               the same coverage (libFuzzer -merge=1), keeping every input
               generated from corpus/src/, and prints the counts.
  coverage     no fuzzing: source-based coverage of the corpora.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import afl  # noqa: E402
import coverage  # noqa: E402
import libfuzzer  # noqa: E402
import plots  # noqa: E402
import report  # noqa: E402
import triage  # noqa: E402
from common import (ROOT, CAMPAIGN, EXIT_OK, EXIT_NEW_BUCKET, EXIT_USAGE, UsageError,  # noqa: E402
                    SetupError, all_targets, build_preset, fill_corpus, files_in, log,
                    need, rel, write_atomic)
from progress import Display  # noqa: E402

MODES = ("code-change", "batch", "prune", "coverage")
ENGINES = ("libfuzzer", "afl", "both")
DEFAULT_TIME = {"code-change": 180, "batch": 3600}

EPILOG = """\
modes (ClusterFuzzLite's):
  code-change  default: a short run from corpus/; only new buckets fail it
  batch        a long run; the grown corpora in build/campaign/ are kept
               and grow from run to run (default --time 3600)
  prune        no fuzzing: corpus/<target> shrunk to a minimal set of the
               same coverage (libFuzzer -merge=1), keeping what corpus/src
               generates; prints the counts before and after
  coverage     no fuzzing: clang source-based coverage of the corpora
               (llvm-cov HTML, line and branch coverage per alloc/ file)

--time is the total fuzzing budget in seconds, over all targets and
engines together (each target gets an equal share; the build, triage and
coverage come on top). Default 180 (code-change) or 3600 (batch).

State lives under build/campaign/: <target>/corpus (the grown corpus),
<target>/findings (libFuzzer's crash files), <target>/afl (AFL++'s sync
dir), <target>/buckets, stats-*.tsv, plots/, coverage/, campaign.json,
report.html. corpus/ changes only with --update-corpus or --mode prune,
crashes/ only with --accept.

exit status: 0 no new bucket, 1 a new bucket, 2 usage, setup or build error
"""


class Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(message)


def parse(argv):
    p = Parser(prog="ci/fuzz", description="Fuzzing campaigns over the slabfuzz targets.",
               epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--time", type=int, metavar="S", help="total fuzzing budget, seconds")
    p.add_argument("--targets", metavar="a,b", help="targets, with or without fuzz_ (default: all)")
    p.add_argument("--engine", choices=ENGINES, default="libfuzzer")
    p.add_argument("--jobs", type=int, default=1, metavar="N",
                   help="libFuzzer -fork=N; AFL++: one -M and N-1 -S in one sync dir")
    p.add_argument("--mode", choices=MODES, default="code-change")
    p.add_argument("--update-corpus", action="store_true",
                   help="merge new coverage into corpus/ (-merge=1 or afl-cmin)")
    p.add_argument("--accept", action="store_true", help="add new buckets to crashes/")
    p.add_argument("--json", metavar="FILE", help="also write the campaign's JSON to FILE")
    p.add_argument("--seed", type=int, default=1, metavar="N",
                   help="the engines' random seed (libFuzzer -seed, AFL++ -s), default 1")
    p.add_argument("--repeatable", action="store_true",
                   help="libFuzzer's schedule does not weigh execution time "
                        "(entropic_scale_per_exec_time=0), so a run repeats from its seed")
    p.add_argument("--no-coverage", action="store_true",
                   help="skip the coverage replay at the end of a campaign")
    a = p.parse_args(argv)
    if a.json:
        a.json = os.path.join(os.environ.get("CI_FUZZ_CWD", os.getcwd()), a.json)
    known = all_targets()
    if a.targets:
        names = ["fuzz_" + n.strip()[len("fuzz_"):] if n.strip().startswith("fuzz_")
                 else "fuzz_" + n.strip() for n in a.targets.split(",") if n.strip()]
        bad = [n for n in names if n not in known]
        if bad or not names:
            raise UsageError("unknown target '%s' (targets: %s)" % (
                ",".join(bad) or a.targets, " ".join(known)))
        a.targets = list(dict.fromkeys(names))
    else:
        a.targets = known
    if a.time is None:
        a.time = DEFAULT_TIME.get(a.mode, 0)
    if a.time < 0 or (a.mode in DEFAULT_TIME and a.time < 1):
        raise UsageError("--time needs a positive number of seconds")
    if not 1 <= a.jobs <= 64:
        raise UsageError("--jobs needs a number from 1 to 64")
    return a


def engines_of(a):
    return ["libfuzzer", "afl"] if a.engine == "both" else [a.engine]


def build(a):
    need("ci_need_toolchain", "ci_need gnuplot gnuplot-nox")
    engines = engines_of(a)
    if "afl" in engines:
        need("ci_need_afl")
    if "libfuzzer" in engines or a.mode == "prune":
        log("fuzz preset: libFuzzer + ASan + UBSan")
        build_preset("fuzz", a.targets + ["sfprog"])
    if "afl" in engines:
        log("afl preset, its CMPLOG twin, and the custom mutators (release)")
        build_preset("afl", a.targets)
        afl.build_cmplog(a.targets)
        build_preset("release", ["sfmutator_%s" % t for t in a.targets])
    with open(os.path.join(ROOT, "harness", "CMakeLists.txt")) as f:
        has_slabfuzz = "slabfuzz" in f.read()
    if has_slabfuzz and a.mode in ("code-change", "batch"):
        log("dev preset: slabfuzz (triage, replay, repro)")
        build_preset("dev", ["slabfuzz"])


def prepare(a, t):
    """The target's working state: code-change starts afresh, batch keeps
    the grown corpus. Both add corpus/<target> to it."""
    work = os.path.join(CAMPAIGN, t)
    if a.mode == "batch" and os.path.isdir(os.path.join(work, "corpus")):
        for n in os.listdir(work):
            if n != "corpus":
                p = os.path.join(work, n)
                shutil.rmtree(p) if os.path.isdir(p) else os.unlink(p)
    else:
        shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work, exist_ok=True)
    return fill_corpus(os.path.join(work, "corpus"), os.path.join(ROOT, "corpus", t))


def fuzz(a):
    """Runs every target; returns (per-target rows, all Stats)."""
    engines = engines_of(a)
    share = max(5, a.time // (len(a.targets) * len(engines)))
    os.environ.setdefault("ASAN_OPTIONS", "abort_on_error=1:detect_leaks=0:symbolize=1")
    os.environ.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
    display = Display()
    rows, everything = [], []
    log("fuzzing %d target%s, %d s each per engine (%s, jobs %d)" % (
        len(a.targets), "" if len(a.targets) == 1 else "s", share, "+".join(engines), a.jobs))
    for t in a.targets:
        before = prepare(a, t)
        seeds = {os.path.basename(p) for p in files_in(os.path.join(CAMPAIGN, t, "corpus"))}
        stats = []
        for e in engines:
            display.start()
            if e == "libfuzzer":
                stats.append(libfuzzer.run(t, share, a.jobs, display, a.seed,
                                             a.repeatable))
            else:
                stats += afl.run(t, share, a.jobs, display, a.seed)
        sync = os.path.join(CAMPAIGN, t, "afl")
        if os.path.isdir(sync):
            # the grown corpus holds what AFL++ found too (batch keeps it)
            fill_corpus(os.path.join(CAMPAIGN, t, "corpus"),
                        *[os.path.join(sync, i, "queue") for i in sorted(os.listdir(sync))])
        after = files_in(os.path.join(CAMPAIGN, t, "corpus"))
        rows.append({"target": t, "stats": stats, "corpus_before": before,
                     "corpus_after": len(after),
                     "new_corpus": len({os.path.basename(p) for p in after} - seeds)})
        everything += stats
    return rows, everything


def print_table(rows):
    print()
    print("%-14s %-10s %10s %8s %-24s %7s %5s %8s %10s" % (
        "target", "fuzzer", "execs", "exec/s", "coverage", "corpus", "new", "findings",
        "known/new"))
    for r in rows:
        for i, s in enumerate(r["stats"]):
            cov = ("cov %d ft %d" % (s.cov, s.ft) if not s.edges_total
                   else "edges %d/%d" % (s.cov, s.edges_total))
            if s.stability:
                cov += " stab %s" % s.stability
            print("%-14s %-10s %10d %8d %-24s %7d %5s %8d %10s" % (
                r["target"] if i == 0 else "", s.instance or "libfuzzer", s.execs, s.rate,
                cov, s.corpus, r["new_corpus"] if i == 0 else "", s.crashes,
                "%d/%d" % (r["known"], r["new"]) if i == 0 else ""))


def print_buckets(buckets):
    new = [b for b in buckets if not b["known"]]
    known = [b for b in buckets if b["known"]]
    if known:
        print("\nknown buckets (in crashes/):")
        for b in known:
            print("  %s: %s (%d file%s)" % (b["target"], b["title"], b["count"],
                                            "" if b["count"] == 1 else "s"))
    if new:
        print("\nnew buckets:")
        for b in new:
            print("  %s: %s (%d file%s%s%s)" % (b["target"], b["title"], b["count"],
                                                "" if b["count"] == 1 else "s",
                                                ", FLAKY" if b["flaky"] else "",
                                                ", added to crashes/" if b.get("accepted") else ""))
            for k in ("replay", "repro"):
                print("    %s" % b["commands"][k])


def campaign_json(a, rows, buckets, cov, pngs, afl_pngs, status, afl_notes=()):
    def inst(s):
        return {"name": s.instance or "libfuzzer", "execs": s.execs, "exec_per_s": s.rate,
                "coverage": s.cov, "ft": s.ft, "edges_total": s.edges_total,
                "corpus": s.corpus, "crashes": s.crashes, "stability": s.stability,
                "seconds": round(s.elapsed(), 1)}
    out_b = []
    for b in buckets:
        d = {k: b[k] for k in ("title", "target", "count", "known", "flaky", "program",
                               "report", "commands")}
        d["reproducer"] = rel(b["reproducer"])
        d["files"] = [rel(p) for p in b["files"]] if "files" in b else []
        if b.get("heapmap"):
            d["heapmap"] = rel(b["heapmap"])
        out_b.append(d)
    return {"mode": a.mode, "engine": a.engine, "jobs": a.jobs, "time": a.time, "seed": a.seed,
            "repeatable": a.repeatable,
            "targets": [{"target": r["target"], "instances": [inst(s) for s in r["stats"]],
                         "execs": sum(s.execs for s in r["stats"]),
                         "exec_per_s": sum(s.rate for s in r["stats"]),
                         "corpus_before": r["corpus_before"], "corpus_after": r["corpus_after"],
                         "new_corpus": r["new_corpus"], "buckets_known": r["known"],
                         "buckets_new": r["new"], "corpus_added": r.get("added", 0)}
                        for r in rows],
            "buckets": out_b, "coverage": cov,
            "plots": {t: rel(p) for t, p in pngs.items()},
            "afl_plots": {t: [rel(d) for d in ds] for t, ds in afl_pngs.items()},
            "afl_plot_notes": list(afl_notes),
            "exit": status}


def write_outputs(a, c):
    js = os.path.join(CAMPAIGN, "campaign.json")
    text = json.dumps(c, indent=1) + "\n"
    write_atomic(js, text)
    if a.json:
        write_atomic(os.path.abspath(a.json), text)
    html = report.render(c, ROOT, os.path.join(CAMPAIGN, "report.html"))
    print("\nreport: %s\njson:   %s" % (rel(html), rel(js)))


def campaign(a):
    rows, stats = fuzz(a)
    log("triage")
    buckets = []
    for r in rows:
        t = r["target"]
        lf = libfuzzer.findings(t)
        af = afl.findings(t)
        dirs = sorted({os.path.dirname(p) for p in lf + af})
        bs = triage.triage(t, dirs, lf + af, a.accept)
        r["known"] = sum(1 for b in bs if b["known"])
        r["new"] = sum(1 for b in bs if not b["known"])
        buckets += bs
    if a.update_corpus:
        log("--update-corpus: merging new coverage into corpus/")
        for r in rows:
            t, grown = r["target"], os.path.join(CAMPAIGN, r["target"], "corpus")
            if os.access(libfuzzer.binary(t), os.X_OK):
                r["added"] = libfuzzer.update_corpus(t, grown)
            else:
                r["added"] = afl.update_corpus(t)
            print("  %s: %d input%s added to corpus/%s" % (t, r["added"],
                                                          "" if r["added"] == 1 else "s", t))
    cov = None
    if not a.no_coverage:
        log("coverage of alloc/ over the corpora")
        cov = coverage.measure(a.targets)
    series = plots.write_stats(stats)
    pngs = plots.draw(series, "edges" if a.engine == "afl" else "coverage")
    afl_pngs, afl_notes = {}, []
    for t in a.targets:
        made, notes = afl.plot(t, os.path.join(plots.PLOTS, "afl", t))
        if made:
            afl_pngs[t] = made
        afl_notes += notes
    for n in afl_notes:
        print("afl-plot: %s" % n)
    print_table(rows)
    # a new bucket fails the run unless --accept has just made it known
    failing = [b for b in buckets if not b["known"] and not b.get("accepted")
               and b["title"] != triage.UNREPRODUCIBLE]
    print_buckets(buckets)
    if cov:
        print("\ncoverage (llvm-cov pages: %s)\n%s" % (cov["html"], coverage.table(cov)))
    status = EXIT_NEW_BUCKET if failing else EXIT_OK
    write_outputs(a, campaign_json(a, rows, buckets, cov, pngs, afl_pngs, status, afl_notes))
    return status


def seeds_from_src(tmp):
    """The inputs corpus/src/ generates, per target (sfprog corpus)."""
    sfprog = os.path.join(ROOT, "build", "fuzz", "harness", "sfprog")
    r = subprocess.run([sfprog, "corpus", os.path.join(ROOT, "corpus", "src"), tmp],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if r.returncode != 0:
        raise SetupError("sfprog corpus failed: %s" % r.stderr.decode()[:200])


def prune(a):
    log("prune: corpus/<target> to a minimal set of the same coverage")
    os.makedirs(CAMPAIGN, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=CAMPAIGN) as tmp:
        seeds_from_src(tmp)
        print("%-14s %7s %7s" % ("target", "before", "after"))
        result = []
        for t in a.targets:
            keep = files_in(os.path.join(tmp, t))
            before, after = libfuzzer.prune(t, keep)
            print("%-14s %7d %7d" % (t, before, after))
            result.append({"target": t, "before": before, "after": after})
    if a.json:
        write_atomic(os.path.abspath(a.json), json.dumps({"mode": "prune", "targets": result},
                                                         indent=1) + "\n")
    return EXIT_OK


def coverage_only(a):
    need("ci_need_toolchain")
    log("coverage of alloc/ over the corpora")
    cov = coverage.measure(a.targets)
    print("\ncoverage (llvm-cov pages: %s)\n%s" % (cov["html"], coverage.table(cov)))
    if a.json:
        write_atomic(os.path.abspath(a.json), json.dumps(cov, indent=1) + "\n")
    return EXIT_OK


def main(argv):
    try:
        a = parse(argv)
        if a.mode == "coverage":
            return coverage_only(a)
        build(a)
        if a.mode == "prune":
            return prune(a)
        return campaign(a)
    except UsageError as e:
        print("ci/fuzz: %s (ci/fuzz --help)" % e, file=sys.stderr)
        return EXIT_USAGE
    except SetupError as e:
        print("ci/fuzz: %s" % e, file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("ci/fuzz: interrupted", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
