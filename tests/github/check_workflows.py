"""Checks ci/github/*.yml, the GitHub Actions workflows: each parses as
YAML and has what GitHub and the ClusterFuzzLite actions require.

  - every workflow: name, on (a known event), jobs; every job runs-on and
    steps; every step exactly one of uses / run;
  - build_fuzzers@v1: language c (project.yaml's); run_fuzzers@v1:
    github-token, fuzz-seconds (a positive number), mode (code-change,
    batch, prune or coverage), and the same sanitizer as the job's build
    step (coverage mode needs sanitizer coverage on both; code-change and
    batch runs use only sanitizers project.yaml lists);
  - together they cover: tests on push, code-change on pull_request,
    batch on a schedule, prune and coverage.

  python3 tests/github/check_workflows.py [DIR]     exit 0 ok, 1 a check failed
"""
import glob
import os
import sys

import yaml

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
MODES = {"code-change", "batch", "prune", "coverage"}
EVENTS = {"push", "pull_request", "schedule", "workflow_dispatch"}
errors = []


def err(path, msg):
    errors.append("%s: %s" % (os.path.relpath(path, ROOT), msg))


def sanitizers_of_project():
    with open(os.path.join(ROOT, ".clusterfuzzlite", "project.yaml")) as f:
        p = yaml.safe_load(f)
    return set(p.get("sanitizers", [])), p.get("language")


def matrix_values(job, expr):
    """The values a step's "${{ matrix.x }}" takes in JOB, or [expr]."""
    if isinstance(expr, str) and expr.startswith("${{ matrix."):
        key = expr[len("${{ matrix."):].rstrip("} ").strip()
        return list(job.get("strategy", {}).get("matrix", {}).get(key, []))
    return [expr]


def check(path, seen):
    with open(path) as f:
        try:
            w = yaml.safe_load(f)
        except yaml.YAMLError as e:
            err(path, "not YAML: %s" % e)
            return
    if not isinstance(w, dict):
        err(path, "not a mapping")
        return
    on = w.get("on", w.get(True))          # YAML 1.1 reads a bare `on` as true
    if not w.get("name"):
        err(path, "no name")
    if not on:
        err(path, "no on:")
        on = {}
    events = set(on) if isinstance(on, dict) else set([on] if isinstance(on, str) else on)
    if not events or events - EVENTS:
        err(path, "on: %s" % sorted(events))
    if "schedule" in events:
        crons = on["schedule"]
        if not crons or not all(isinstance(c, dict) and len(str(c.get("cron", "")).split()) == 5
                                for c in crons):
            err(path, "schedule needs cron entries of five fields")
    jobs = w.get("jobs")
    if not isinstance(jobs, dict) or not jobs:
        err(path, "no jobs")
        return
    project_sans, language = sanitizers_of_project()
    for jname, job in jobs.items():
        if "runs-on" not in job:
            err(path, "job %s: no runs-on" % jname)
        steps = job.get("steps") or []
        if not steps:
            err(path, "job %s: no steps" % jname)
        build_sans = None
        for i, s in enumerate(steps):
            if ("uses" in s) == ("run" in s):
                err(path, "job %s step %d: needs exactly one of uses/run" % (jname, i))
                continue
            if "run" in s:
                if "ci/test" in s["run"]:
                    seen.update("tests-" + e for e in events)
                continue
            uses, arg = s["uses"], s.get("with", {}) or {}
            if uses.startswith("google/clusterfuzzlite/actions/build_fuzzers@"):
                if arg.get("language") != language:
                    err(path, "job %s: build_fuzzers language %r, project.yaml says %r" % (
                        jname, arg.get("language"), language))
                build_sans = set(matrix_values(job, arg.get("sanitizer", "address")))
            elif uses.startswith("google/clusterfuzzlite/actions/run_fuzzers@"):
                for k in ("github-token", "fuzz-seconds", "mode"):
                    if k not in arg:
                        err(path, "job %s: run_fuzzers without %s" % (jname, k))
                mode = arg.get("mode")
                if mode not in MODES:
                    err(path, "job %s: mode %r" % (jname, mode))
                try:
                    if int(arg.get("fuzz-seconds", 0)) <= 0:
                        raise ValueError
                except ValueError:
                    err(path, "job %s: fuzz-seconds must be a positive number" % jname)
                sans = set(matrix_values(job, arg.get("sanitizer", "address")))
                if build_sans is None:
                    err(path, "job %s: run_fuzzers before any build_fuzzers" % jname)
                elif sans != build_sans:
                    err(path, "job %s: run_fuzzers sanitizer %s, build_fuzzers %s" % (
                        jname, sorted(sans), sorted(build_sans)))
                if mode == "coverage" and sans != {"coverage"}:
                    err(path, "job %s: coverage mode needs sanitizer coverage" % jname)
                if mode in ("code-change", "batch") and sans - project_sans:
                    err(path, "job %s: sanitizers %s not in project.yaml" % (
                        jname, sorted(sans - project_sans)))
                seen.update("%s-%s" % (mode, e) for e in events)


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "ci", "github")
    files = sorted(glob.glob(os.path.join(d, "*.yml")))
    if not files:
        print("check_workflows: no workflows in %s" % d)
        return 1
    seen = set()
    for p in files:
        check(p, seen)
    for need in ("tests-push", "code-change-pull_request", "batch-schedule",
                 "prune-schedule", "coverage-schedule"):
        if need not in seen:
            errors.append("no workflow covers %s (mode-event)" % need)
    for e in errors:
        print("FAIL: %s" % e)
    print("%d workflows, %d problems" % (len(files), len(errors)))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
