"""Records a campaign as tests/report/fixture/: its campaign.json with
every path made relative to the fixture, and the plot PNGs it names (the
llvm-cov and afl-plot pages stay links, not copied). report.html is then
rendered from the fixture by test_report_html.sh exactly as ci/fuzz
renders it from build/campaign/.

  python3 tests/report/record_fixture.py [CAMPAIGN_DIR]   (default build/campaign)
"""
import json
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
FIX = os.path.join(HERE, "fixture")


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "campaign")
    with open(os.path.join(src, "campaign.json")) as f:
        c = json.load(f)
    if not c["buckets"]:
        print("record_fixture: %s found nothing; the fixture needs a bucket" % src)
        return 1
    root = os.path.dirname(os.path.dirname(os.path.abspath(src)))   # <root>/build/campaign
    shutil.rmtree(FIX, ignore_errors=True)
    os.makedirs(os.path.join(FIX, "plots"))
    for t, p in list(c["plots"].items()):
        dst = os.path.join("plots", os.path.basename(p))
        shutil.copyfile(os.path.join(root, p), os.path.join(FIX, dst))
        c["plots"][t] = dst
    if c.get("coverage"):
        c["coverage"]["html"] = "coverage/html/index.html"
    c["afl_plots"] = {t: [os.path.join("plots", "afl", t, os.path.basename(d)) for d in ds]
                      for t, ds in c.get("afl_plots", {}).items()}
    for b in c["buckets"]:
        b.pop("heapmap", None)
    with open(os.path.join(FIX, "campaign.json"), "w") as f:
        json.dump(c, f, indent=1)
        f.write("\n")
    print("recorded %s into %s" % (src, os.path.relpath(FIX, ROOT)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
