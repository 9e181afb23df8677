#!/usr/bin/env python3
"""ci/campaign/afl.py's afl-plot step on real plot_data files (fixture/,
captured from AFL++ 4.04c runs of a small target: afl-short ran 20 s and
holds one row, as every instance of a short campaign does; afl-long ran
75 s and holds five, the first at 61 s).

- a one-row plot_data gets no afl-plot call and a note that says why,
  which report.html shows;
- a longer one gets afl-plot's pages (when afl-plot and gnuplot are
  installed; otherwise the note says afl-plot is missing).
"""
import json
import os
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "ci", "campaign"))
import afl  # noqa: E402
import report  # noqa: E402


def main():
    fails = 0
    with tempfile.TemporaryDirectory() as camp:
        afl.CAMPAIGN = camp
        for inst in ("afl-short", "afl-long"):
            d = os.path.join(camp, "fuzz_x", "afl", inst)
            os.makedirs(d)
            shutil.copy(os.path.join(HERE, "fixture", inst, "plot_data"), d)
        made, notes = afl.plot("fuzz_x", os.path.join(camp, "plots"))
        short = [n for n in notes if "afl-short" in n]
        if len(short) != 1 or "holds 1 row," not in short[0] or "needs 2" not in short[0]:
            print("FAIL: the one-row plot_data's note: %r" % notes)
            fails += 1
        if any(os.path.basename(m) == "afl-short" for m in made):
            print("FAIL: afl-plot drawn from one row")
            fails += 1
        if shutil.which("afl-plot") and shutil.which("gnuplot"):
            if [os.path.basename(m) for m in made] != ["afl-long"]:
                print("FAIL: afl-plot pages %r, want afl-long's; notes %r" % (made, notes))
                fails += 1
            elif not os.path.isfile(os.path.join(made[0], "exec_speed.png")):
                print("FAIL: afl-plot wrote no exec_speed.png for afl-long")
                fails += 1
        elif not any("afl-long" in n for n in notes):
            print("FAIL: no afl-plot and no note for afl-long: %r" % notes)
            fails += 1
        # the note reaches report.html
        with open(os.path.join(HERE, "..", "report", "fixture", "campaign.json")) as f:
            c = json.load(f)
        c["afl_plot_notes"] = notes
        html = os.path.join(camp, "report.html")
        report.render(c, os.path.join(HERE, "..", "report", "fixture"), html)
        with open(html) as f:
            page = f.read()
        if "afl-plot-note" not in page or "fuzz_x/afl-short: no afl-plot pages" not in page:
            print("FAIL: report.html lacks the afl-plot note")
            fails += 1
    print("afl-plot: %s" % ("ok" if not fails else "%d failures" % fails))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
