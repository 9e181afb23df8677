#!/usr/bin/env python3
"""The inputs that do the same work with a small and with a large arena.

ci/bench --arena asks whether per-input cost grows with the size of the
machine. A fuzzing run cannot answer that by itself: at 32 MiB the
allocations that fail at 4 MiB succeed and then cost per page, so the two
runs do different work. This picks, from a corpus, the inputs whose every
op gives the same result at both sizes (slabfuzz replay --trace, with
addresses scrubbed), and copies them to OUT, so that ci/bench can time the
same work on both machines.

usage: same_work.py SLABFUZZ TARGET SMALL_MIB LARGE_MIB OUT FILE...
Exit status: 0, or 2 for bad usage, 3 when slabfuzz cannot be run.
"""
import os
import re
import shutil
import subprocess
import sys

ADDR = re.compile(r"0x[0-9a-f]+")
BATCH = 200


def traces(slabfuzz, target, mib, files):
    """{file: [its op lines, addresses scrubbed]} at an arena of mib MiB."""
    env = dict(os.environ, SF_MEM_MIB=str(mib))
    env.pop("SF_STATS", None)
    out = {}
    for i in range(0, len(files), BATCH):
        batch = files[i:i + BATCH]
        try:
            run = subprocess.run([slabfuzz, "replay", "--target", target, "--trace"] + batch,
                                 env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                 check=False)
        except OSError as e:
            print(f"same_work.py: cannot run {slabfuzz}: {e.strerror}", file=sys.stderr)
            sys.exit(3)
        lines, names = [], set(batch)
        for line in run.stdout.decode("utf-8", "replace").splitlines():
            name = line.split(": ", 1)[0]
            if name in names:
                out[name] = lines
                lines = []
            elif line.startswith(("op ", "end:")):
                lines.append(ADDR.sub("", line))
    return out


def main(argv):
    if len(argv) < 7 or not argv[3].isdigit() or not argv[4].isdigit():
        print("usage: same_work.py SLABFUZZ TARGET SMALL_MIB LARGE_MIB OUT FILE...",
              file=sys.stderr)
        return 2
    slabfuzz, target, small, large, outdir = argv[1], argv[2], int(argv[3]), int(argv[4]), argv[5]
    files = [f for f in argv[6:] if os.path.isfile(f)]
    a = traces(slabfuzz, target, small, files)
    b = traces(slabfuzz, target, large, files)
    os.makedirs(outdir, exist_ok=True)
    same = [f for f in files if f in a and f in b and a[f] == b[f]]
    for f in same:
        shutil.copy(f, os.path.join(outdir, os.path.basename(f)))
    print(f"{len(same)} of {len(files)} inputs do the same work at {small} and {large} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
