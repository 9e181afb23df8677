"""The campaign's stats over time and their plots.

Each fuzzer's samples (progress.Stat.samples) are written to
build/campaign/<target>/stats-<instance>.tsv (seconds, execs, exec/s,
coverage, ft, corpus, findings), and gnuplot draws, per target, exec/s
and coverage against time into build/campaign/plots/<target>.png, one
line per fuzzer instance. AFL++ instances with two rows of plot_data or
more also get afl-plot's own pages (afl.plot(), linked from report.html;
a shorter instance gets a note there instead).
"""
import os
import shutil
import subprocess

from common import CAMPAIGN, write_atomic

PLOTS = os.path.join(CAMPAIGN, "plots")
HEADER = "# seconds\texecs\texec_per_s\tcoverage\tft\tcorpus\tfindings\n"


def write_stats(stats):
    """stats-<instance>.tsv per Stat; returns {target: [(label, path)]}."""
    out = {}
    for s in stats:
        path = os.path.join(CAMPAIGN, s.target, "stats-%s.tsv" % (s.instance or "libfuzzer"))
        write_atomic(path, HEADER + "".join("\t".join(str(v) for v in row) + "\n"
                                            for row in s.samples))
        out.setdefault(s.target, []).append((s.instance or "libfuzzer", path))
    return out


def _q(s):
    return "'%s'" % s.replace("'", "''")


def draw(series, cov_label):
    """One PNG per target of SERIES; returns {target: png path}."""
    if not shutil.which("gnuplot"):
        return {}
    os.makedirs(PLOTS, exist_ok=True)
    made = {}
    for target, runs in sorted(series.items()):
        png = os.path.join(PLOTS, "%s.png" % target)
        lines = []
        for label, path in runs:
            lines.append("%s using 1:3 axes x1y1 with lines lw 2 title %s" % (_q(path), _q(label + " exec/s")))
            lines.append("%s using 1:4 axes x1y2 with lines lw 2 dt 2 title %s" % (
                _q(path), _q(label + " " + cov_label)))
        script = "\n".join([
            "set terminal pngcairo size 540,260 font 'DejaVu Sans,9'",
            "set output %s" % _q(png),
            "set termoption noenhanced", "set title %s" % _q(target),
            "set xlabel 'seconds'", "set ylabel 'exec/s'", "set y2label %s" % _q(cov_label),
            "set ytics nomirror", "set y2tics", "set key bottom right", "set grid",
            "set yrange [0:*]", "set datafile separator '\\t'",
            "plot " + ", ".join(lines), ""])
        r = subprocess.run(["gnuplot"], input=script.encode(), stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE)
        if r.returncode == 0 and os.path.isfile(png):
            made[target] = png
    return made
