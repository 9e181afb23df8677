"""Triage of what a campaign found: crash files -> buckets.

A bucket is (target, title): {"title", "target", "count", "known",
"flaky", "reproducer", "files", "report", "program"}. The first six keys
are what `slabfuzz triage --json` writes; the others are what the report
shows (the reproducer's report text and its program in the text form).

triage() uses `build/dev/slabfuzz triage` when the tree has it, and this
file's own replay-and-bucket otherwise (local_triage): each crash file is
replayed with the target binary, titled by the harness's "==ERROR:
slabfuzz:" line or, for a sanitizer crash, by the bug kind and the first
three frames outside sanitizer and libc plumbing (addresses and numbers
scrubbed); one input per bucket is shrunk with libFuzzer's
-minimize_crash (kept only if it gives the same title) and replayed three
times (a title that changes is flaky). A bucket is known when a
crashes/<target>/*/meta.json has its title.
"""
import datetime
import glob
import json
import os
import re
import shutil
import subprocess

from common import ROOT, CAMPAIGN, SetupError, rel, sha1_file, write_atomic, copy_atomic

SLABFUZZ = os.path.join(ROOT, "build", "dev", "slabfuzz")
MINIMIZE_SECONDS = 5
REPLAYS = 3
UNREPRODUCIBLE = "(does not reproduce)"
_PLUMBING = re.compile(r"^(__asan|__sanitizer|__interceptor|__ubsan|__lsan|asan_|"
                       r"fuzzer::|std::|malloc$|free$|calloc$|realloc$|abort$|raise$|"
                       r"__libc|__GI_|_start$|main$|LLVMFuzzerTestOneInput$|"
                       r"ExecuteCallback|RunOneTest)")
_FRAME = re.compile(r"^\s*#\d+ 0x[0-9a-f]+ in (\S+)")


SLUG_LEN = 200   # harness/tools/slabfuzz/bucket.h's SFZ_SLUG_LEN


def slug_rule(title):
    """title.c's sfz_slug(), for when slabfuzz is not built: ASCII letters,
    digits and '-' kept (case too), every run of other bytes one '-' between
    kept ones (none at either end), at most SLUG_LEN - 1 bytes."""
    out = bytearray()
    dash = False
    for c in title.encode("utf-8", "surrogateescape"):
        if len(out) + 1 >= SLUG_LEN:
            break
        if (0x30 <= c <= 0x39) or (0x41 <= c <= 0x5a) or (0x61 <= c <= 0x7a) or c == 0x2d:
            if dash and out and out[-1] != 0x2d and len(out) + 2 < SLUG_LEN:
                out.append(0x2d)
            dash = False
            out.append(c)
        else:
            dash = True
    return out.decode("ascii") or "untitled"


def slug(title):
    """The name of TITLE's bucket folder: `slabfuzz slug`'s, so that the
    campaign and the tool name a bucket alike; slug_rule() before the tool
    is built."""
    if os.access(SLABFUZZ, os.X_OK):
        r = subprocess.run([SLABFUZZ, "slug", title], stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL, env=_env())
        out = r.stdout.decode("utf-8", "replace").splitlines()
        if r.returncode == 0 and len(out) == 1:
            return out[0]
    return slug_rule(title)


def _env():
    return dict(os.environ, ASAN_OPTIONS="abort_on_error=1:detect_leaks=0:symbolize=1",
                UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1")


def replay_binary(target):
    for tree in ("fuzz", "afl", "dev"):
        p = os.path.join(ROOT, "build", tree, "harness", target)
        if os.access(p, os.X_OK):
            return p
    return None


def title_of(text):
    """The title of one replay's output, None when it ran clean."""
    m = re.search(r"==ERROR: slabfuzz: (.*)", text)
    if m:
        return m.group(1).strip()
    m = re.search(r"ERROR: (AddressSanitizer|LeakSanitizer|MemorySanitizer): ([\w-]+)", text)
    kind = None
    if m:
        kind = "%s: %s" % (m.group(1), m.group(2))
    else:
        m = re.search(r"runtime error: (.*)", text)
        if m:
            kind = "UBSan: " + re.sub(r"0x[0-9a-f]+|\b\d+\b", "N", m.group(1).strip())
        else:
            m = re.search(r"ERROR: libFuzzer: ([\w-]+(?: [\w-]+)?)", text)
            if m:
                kind = "libFuzzer: " + m.group(1)
    if not kind:
        return None
    frames = []
    for line in text.splitlines():
        f = _FRAME.match(line)
        if f and not _PLUMBING.match(f.group(1)):
            frames.append(f.group(1))
            if len(frames) == 3:
                break
    return kind + (" in " + " / ".join(frames) if frames else "")


_NOISE = re.compile(r"^(INFO: |Running: |\S+: Running \d+ inputs|Executed |MS: |base unit: |artifact_prefix=|"
                    r"Test unit written|\*\*\*|0x[0-9a-f,x]+$|SUMMARY: libFuzzer)")


def _clean(out):
    """A replay's output without libFuzzer's own chatter: the report."""
    return "\n".join(l for l in out.splitlines() if not _NOISE.match(l)).strip() + "\n"


def replay(target, path):
    """(title or None, output) of one run of PATH."""
    binp = replay_binary(target)
    r = subprocess.run([binp, path], cwd=ROOT, env=_env(), stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
    out = r.stdout.decode("utf-8", "replace")
    return (title_of(out) if r.returncode != 0 else None), _clean(out)


def _bucket_layout():
    """crashes/'s layout: "dirs" (crashes/<target>/<slug>/meta.json, the
    slabfuzz layout) once any bucket has a meta.json, else "files"
    (crashes/<target>/<slug>-<sha1>, crashes/README.md's older layout)."""
    return "dirs" if glob.glob(os.path.join(ROOT, "crashes", "*", "*", "meta.json")) else "files"


def known_titles(target):
    """The titles, and the title slugs, of the buckets in crashes/<target>/."""
    titles = set()
    for meta in glob.glob(os.path.join(ROOT, "crashes", target, "*", "meta.json")):
        try:
            with open(meta) as f:
                titles.add(json.load(f).get("title", ""))
        except (OSError, ValueError):
            continue
    for p in glob.glob(os.path.join(ROOT, "crashes", target, "*")):
        name = os.path.basename(p)
        if os.path.isfile(p) and re.search(r"-[0-9a-f]{40}$", name):
            titles.add("slug:" + name[:-41])
    return titles


def is_known(title, known):
    return title in known or "slug:" + slug(title) in known


def _minimize(target, path, title, outdir):
    """libFuzzer -minimize_crash into OUTDIR; the shrunk input if it keeps TITLE."""
    binp = os.path.join(ROOT, "build", "fuzz", "harness", target)
    out = os.path.join(outdir, "minimized")
    if not os.access(binp, os.X_OK):
        return path
    subprocess.run([binp, "-minimize_crash=1", "-max_total_time=%d" % MINIMIZE_SECONDS,
                    "-exact_artifact_path=%s" % out, path], cwd=outdir, env=_env(),
                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=MINIMIZE_SECONDS + 60)
    if os.path.isfile(out) and replay(target, out)[0] == title:
        return out
    if os.path.isfile(out):
        os.unlink(out)
    return path


def decode(path):
    """The program of PATH in the text form, by slabfuzz or sfprog."""
    for tool in (SLABFUZZ, os.path.join(ROOT, "build", "dev", "harness", "sfprog"),
                 os.path.join(ROOT, "build", "fuzz", "harness", "sfprog")):
        if os.access(tool, os.X_OK):
            r = subprocess.run([tool, "decode", path], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, env=_env())
            if r.returncode == 0:
                return r.stdout.decode("utf-8", "replace")
    return "(no decoder built)"


def local_triage(target, files):
    groups = {}
    for p in files:
        title, out = replay(target, p)
        if title is None:
            title = UNREPRODUCIBLE
        groups.setdefault(title, []).append((p, out))
    known = known_titles(target)
    buckets = []
    for title, items in sorted(groups.items()):
        bdir = os.path.join(CAMPAIGN, target, "buckets", slug(title))
        shutil.rmtree(bdir, ignore_errors=True)
        os.makedirs(bdir)
        rep = items[0][0]
        if title != UNREPRODUCIBLE:
            rep = _minimize(target, rep, title, bdir)
        name = os.path.join(bdir, sha1_file(rep))
        shutil.copyfile(rep, name)
        if rep != name and os.path.dirname(rep) == bdir:
            os.unlink(rep)        # the minimized input, now under its sha1
        titles, report = set(), items[0][1]
        for _ in range(REPLAYS):
            t, out = replay(target, name)
            titles.add(t)
            report = out
        buckets.append({"title": title, "target": target, "count": len(items),
                        "known": is_known(title, known), "flaky": len(titles) != 1,
                        "reproducer": name, "files": [p for p, _ in items],
                        "report": report})
    return buckets


def _slabfuzz_has(sub):
    """Whether build/dev/slabfuzz is built and lists subcommand SUB."""
    if not os.access(SLABFUZZ, os.X_OK):
        return False
    r = subprocess.run([SLABFUZZ, "--help"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return re.search(r"^\s*%s\b" % sub, r.stdout.decode("utf-8", "replace"), re.M) is not None


def slabfuzz_triage(target, dirs, accept):
    """`slabfuzz triage`, minimized reproducers into <target>/buckets/."""
    js = os.path.join(CAMPAIGN, target, "triage.json")
    out = os.path.join(CAMPAIGN, target, "buckets")
    cmd = [SLABFUZZ, "triage", "--target", target, "--json", js, "--out", out] + \
          (["--accept"] if accept else []) + dirs
    log = os.path.join(CAMPAIGN, target, "triage.log")
    with open(log, "w") as f:
        r = subprocess.run(cmd, cwd=ROOT, stdout=f, stderr=subprocess.STDOUT, env=_env())
    try:
        with open(js) as f:
            buckets = json.load(f)["buckets"]
    except (OSError, ValueError, KeyError):
        raise SetupError("slabfuzz triage exited %d without its JSON (see %s)" % (
            r.returncode, rel(log)))
    for b in buckets:
        if not os.path.isabs(b["reproducer"]):
            b["reproducer"] = os.path.join(ROOT, b["reproducer"])
        b["report"] = replay(target, b["reproducer"])[1]
    return buckets


def accept_local(b):
    """Adds bucket B to crashes/ in the layout crashes/ has: a folder
    crashes/<target>/<slug>/ with the input under its sha1, program.txt,
    report.txt and meta.json, or the file crashes/<target>/<slug>-<sha1>."""
    name = sha1_file(b["reproducer"])
    if _bucket_layout() == "files":
        dst = os.path.join(ROOT, "crashes", b["target"], "%s-%s" % (slug(b["title"]), name))
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        copy_atomic(b["reproducer"], dst)
        return dst
    d = os.path.join(ROOT, "crashes", b["target"], slug(b["title"]))
    os.makedirs(d, exist_ok=True)
    copy_atomic(b["reproducer"], os.path.join(d, name))
    write_atomic(os.path.join(d, "program.txt"), b["program"])
    write_atomic(os.path.join(d, "report.txt"), b["report"])
    meta = {"title": b["title"], "target": b["target"], "status": "fixed",
            "first_seen": datetime.date.today().isoformat(),
            "command": "build/dev/slabfuzz replay --target %s %s" % (
                b["target"], rel(os.path.join(d, name)))}
    write_atomic(os.path.join(d, "meta.json"), json.dumps(meta, indent=2) + "\n")
    return d


def triage(target, dirs, files, accept):
    """Buckets of FILES (found in DIRS) for TARGET, each with its commands."""
    if not files:
        return []
    if _slabfuzz_has("triage"):
        buckets = slabfuzz_triage(target, dirs, accept)
        for b in buckets:
            b["accepted"] = accept and not b["known"] and not b["flaky"]
    else:
        buckets = local_triage(target, files)
        if accept:
            for b in buckets:
                if not b["known"] and not b["flaky"]:
                    b["program"] = decode(b["reproducer"])
                    accept_local(b)
                    b["accepted"] = True
    for b in buckets:
        b.setdefault("program", decode(b["reproducer"]))
        r = rel(b["reproducer"])
        b["commands"] = {
            "replay": "build/dev/slabfuzz replay --target %s %s" % (target, r),
            "repro": "build/dev/slabfuzz repro --run --target %s %s" % (target, r),
            "binary": "%s %s" % (rel(replay_binary(target)), r),
        }
        if _slabfuzz_has("heapmap"):
            svg = os.path.join(os.path.dirname(b["reproducer"]), "heapmap.svg")
            r2 = subprocess.run([SLABFUZZ, "heapmap", "--target", target, b["reproducer"],
                                 "-o", svg], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, env=_env())
            if os.path.isfile(svg) and r2.returncode in (0, 1):
                b["heapmap"] = svg
    return buckets
