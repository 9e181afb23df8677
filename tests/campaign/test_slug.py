#!/usr/bin/env python3
"""ci/campaign/triage.py names buckets as slabfuzz does: its slug() is
`slabfuzz slug`'s, and slug_rule(), used before slabfuzz is built, gives
the same name for every title here, case kept; a bucket of the older file
layout (crashes/<target>/<slug>-<sha1>) is known by that exact slug.

usage: test_slug.py SLABFUZZ
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "ci", "campaign"))
import triage  # noqa: E402

TITLES = [
    "kalloc: slab: Poison overwritten in kmalloc-64",
    "kalloc: KASAN: double-free in kfree",
    "model: not zeroed kmalloc-128 at op kcalloc",
    "AddressSanitizer: heap-use-after-free READ in kfree, op_kfree, sf_exec_op",
    "UBSan: shift exponent N is too large for N-bit type 'int' in f",
    "  leading and trailing: ",
    "a--b  -c- -",
    "ünïcode — in kmalloc-1k",
    ": ,",
    "",
    "x" * 300,
    ("ab " * 120).strip(),
]


def main():
    sfz = sys.argv[1]
    fails = 0
    for t in TITLES:
        r = subprocess.run([sfz, "slug", t], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        tool = r.stdout.decode().rstrip("\n")
        if r.returncode != 0:
            print("FAIL: slabfuzz slug %r exited %d: %s" % (t, r.returncode, r.stderr.decode()))
            fails += 1
            continue
        if triage.slug_rule(t) != tool:
            print("FAIL: slug_rule(%r) = %r, slabfuzz slug = %r" % (t, triage.slug_rule(t), tool))
            fails += 1
    triage.SLABFUZZ = sfz
    want = "kalloc-slab-Poison-overwritten-in-kmalloc-64"
    if triage.slug(TITLES[0]) != want:
        print("FAIL: slug() = %r, want %r" % (triage.slug(TITLES[0]), want))
        fails += 1
    # the older layout: known by the slug with its case, not lowercased
    with tempfile.TemporaryDirectory() as root:
        d = os.path.join(root, "crashes", "fuzz_misuse")
        os.makedirs(d)
        open(os.path.join(d, want + "-" + "0" * 40), "wb").close()
        triage.ROOT = root
        known = triage.known_titles("fuzz_misuse")
        if not triage.is_known(TITLES[0], known):
            print("FAIL: %s-<sha1> does not make %r known" % (want, TITLES[0]))
            fails += 1
        if triage.is_known(TITLES[0].lower(), known):
            print("FAIL: a title differing only in case is known too")
            fails += 1
    print("slug: %s" % ("ok" if not fails else "%d failures" % fails))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
