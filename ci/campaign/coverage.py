"""Source-based coverage of the corpora (--mode coverage, ci/coverage, and
the end of every campaign): the coverage preset builds each target as a
replay binary with -fprofile-instr-generate -fcoverage-mapping, which
runs every file of corpus/<target>/ and of the campaign's grown corpus
build/campaign/<target>/corpus/ (one child per file; LLVM_PROFILE_FILE's
%m merges their profiles as they exit). llvm-profdata merges the targets;
llvm-cov writes its HTML pages to build/campaign/coverage/html/ and the
per-file line and branch figures of alloc/ to
build/campaign/coverage/summary.json, which the table and report.html
show.
"""
import json
import os
import shutil
import subprocess

from common import ROOT, CAMPAIGN, build_preset, rel, write_atomic, SetupError

COV = os.path.join(CAMPAIGN, "coverage")


def _bin(target):
    return os.path.join(ROOT, "build", "coverage", "harness", target)


def _pct(part):
    return round(100.0 * part["covered"] / part["count"], 1) if part.get("count") else 0.0


def measure(targets):
    """Builds, replays, merges; returns the summary (also in summary.json)."""
    build_preset("coverage", targets)
    shutil.rmtree(COV, ignore_errors=True)
    raw = os.path.join(COV, "raw")
    os.makedirs(raw)
    for t in targets:
        dirs = [d for d in (os.path.join(ROOT, "corpus", t), os.path.join(CAMPAIGN, t, "corpus"))
                if os.path.isdir(d)]
        env = dict(os.environ, LLVM_PROFILE_FILE=os.path.join(raw, "%s-%%m.profraw" % t))
        with open(os.path.join(COV, "replay-%s.log" % t), "w") as f:
            # a finding in some input is the campaign's business, not coverage's
            subprocess.run([_bin(t), "-q"] + dirs, cwd=ROOT, env=env, stdout=f,
                           stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    profraws = [os.path.join(raw, n) for n in sorted(os.listdir(raw)) if n.endswith(".profraw")]
    if not profraws:
        raise SetupError("coverage: no profiles written (see %s)" % rel(COV))
    profdata = os.path.join(COV, "corpus.profdata")
    r = subprocess.run(["llvm-profdata", "merge", "-sparse", "-o", profdata] + profraws,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if r.returncode != 0:
        raise SetupError("llvm-profdata merge failed: %s" % r.stdout.decode()[:200])
    objs = [_bin(targets[0])] + sum((["-object", _bin(t)] for t in targets[1:]), [])
    ignore = ["-ignore-filename-regex=^(%s/)?(tests|bench|harness)/" % ROOT]
    r = subprocess.run(["llvm-cov", "show", "-format=html", "-show-branches=count",
                        "-output-dir=%s" % os.path.join(COV, "html"),
                        "-instr-profile=%s" % profdata] + ignore + objs,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if r.returncode != 0:
        raise SetupError("llvm-cov show failed: %s" % r.stderr.decode()[:200])
    r = subprocess.run(["llvm-cov", "export", "-summary-only", "-instr-profile=%s" % profdata]
                       + ignore + objs, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if r.returncode != 0:
        raise SetupError("llvm-cov export failed: %s" % r.stderr.decode()[:200])
    data = json.loads(r.stdout)["data"][0]
    files = []
    for f in data["files"]:
        name = rel(f["filename"])
        if not name.startswith("alloc/") or not f["summary"]["lines"]["count"]:
            continue
        s = f["summary"]
        files.append({"file": name, "lines": s["lines"]["count"],
                      "lines_covered": s["lines"]["covered"], "line_pct": _pct(s["lines"]),
                      "branches": s["branches"]["count"],
                      "branches_covered": s["branches"]["covered"],
                      "branch_pct": _pct(s["branches"])})
    files.sort(key=lambda x: x["file"])
    tot = {k: sum(f[k] for f in files) for k in
           ("lines", "lines_covered", "branches", "branches_covered")}
    tot["line_pct"] = _pct({"count": tot["lines"], "covered": tot["lines_covered"]})
    tot["branch_pct"] = _pct({"count": tot["branches"], "covered": tot["branches_covered"]})
    summary = {"targets": targets, "files": files, "total": tot,
               "html": rel(os.path.join(COV, "html", "index.html"))}
    write_atomic(os.path.join(COV, "summary.json"), json.dumps(summary, indent=2) + "\n")
    shutil.rmtree(raw, ignore_errors=True)
    return summary


def table(summary):
    rows = ["%-44s %7s %7s %9s %8s" % ("alloc/ file", "lines", "line %", "branches", "branch %")]
    for f in summary["files"]:
        rows.append("%-44s %7d %6.1f%% %9d %7.1f%%" % (
            f["file"], f["lines"], f["line_pct"], f["branches"], f["branch_pct"]))
    t = summary["total"]
    rows.append("%-44s %7d %6.1f%% %9d %7.1f%%" % (
        "total", t["lines"], t["line_pct"], t["branches"], t["branch_pct"]))
    return "\n".join(rows)
