"""build/campaign/report.html: the campaign on one static page, readable
with no server and no network. Plots and heap maps are embedded as data:
URIs; only the llvm-cov pages and afl-plot's pages are links, relative to
the page, since they are whole sites of their own.

  python3 ci/campaign/report.py [CAMPAIGN_JSON [ROOT [OUT_HTML]]]

renders a campaign's JSON again (default build/campaign/campaign.json);
paths in the JSON are relative to ROOT (the tree the campaign ran in).
Sections: summary table, plots, one per bucket (title, minimized program,
report, heap map, reproducer commands), coverage of alloc/.
"""
import base64
import html
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import ROOT, CAMPAIGN, write_atomic  # noqa: E402

REPORT_LINES = 120

CSS = """
body { font: 14px/1.4 'DejaVu Sans', sans-serif; margin: 24px; color: #222; max-width: 1100px; }
h1 { font-size: 22px; } h2 { font-size: 18px; border-bottom: 1px solid #ccc; margin-top: 28px; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
th { background: #eee; }
.tag-new { color: #b00020; font-weight: bold; } .tag-known { color: #666; }
pre { background: #f6f6f6; border: 1px solid #ddd; padding: 8px; overflow-x: auto; font-size: 12px; }
.bucket { border-left: 4px solid #b00020; padding-left: 12px; margin: 16px 0; }
.bucket.known { border-left-color: #999; }
.bucket img { max-width: 100%; height: auto; border: 1px solid #ddd; }
.plots img { margin: 4px; border: 1px solid #ddd; width: 48%; }
.verdict { font-size: 16px; padding: 6px 10px; display: inline-block; }
.ok { background: #e3f5e1; } .bad { background: #fde2e4; }
"""


def _e(s):
    return html.escape(str(s), quote=True)


def _data_uri(path, mime):
    with open(path, "rb") as f:
        return "data:%s;base64,%s" % (mime, base64.b64encode(f.read()).decode())


def _link(root, out_dir, p):
    return os.path.relpath(os.path.join(root, p), out_dir)


def _summary(c):
    cov_head = "coverage (edges)" if c["engine"] != "libfuzzer" else "coverage (cov / ft)"
    rows = ['<table id="summary"><tr><th>target</th><th>fuzzer</th><th>execs</th>'
            '<th>exec/s</th><th>%s</th><th>corpus</th><th>new corpus items</th>'
            '<th>findings</th><th>buckets known / new</th></tr>' % cov_head]
    for t in c["targets"]:
        for i, inst in enumerate(t["instances"]):
            cov = ("%d / %d" % (inst["coverage"], inst["ft"]) if not inst.get("edges_total")
                   else "%d of %d" % (inst["coverage"], inst["edges_total"]))
            first = i == 0
            rows.append("<tr><td>%s</td><td>%s</td><td>%d</td><td>%d</td><td>%s</td><td>%d</td>"
                        "<td>%s</td><td>%d</td><td>%s</td></tr>" % (
                            _e(t["target"]) if first else "", _e(inst["name"]), inst["execs"],
                            inst["exec_per_s"], cov, inst["corpus"],
                            t["new_corpus"] if first else "", inst["crashes"],
                            "%d / %d" % (t["buckets_known"], t["buckets_new"]) if first else ""))
    rows.append("</table>")
    return "\n".join(rows)


def _bucket(b, root, out_dir, n):
    cls = "known" if b["known"] else "new"
    tag = "tag-" + cls
    lines = b.get("report", "").splitlines()
    report = "\n".join(lines[:REPORT_LINES]) + (
        "\n... (%d more lines)" % (len(lines) - REPORT_LINES) if len(lines) > REPORT_LINES else "")
    out = ['<div class="bucket%s" id="bucket-%d" data-target="%s">' % (
        " known" if b["known"] else "", n, _e(b["target"])),
           '<h3 class="bucket-title">%s</h3>' % _e(b["title"]),
           "<p>target <b>%s</b>, %d crash file%s, <span class=\"%s\">%s</span>%s</p>" % (
               _e(b["target"]), b["count"], "" if b["count"] == 1 else "s", tag,
               "known (in crashes/)" if b["known"] else "new",
               ", <b>flaky</b>" if b.get("flaky") else ", reproduces %s" % "every time"),
           "<p>reproducer: <code>%s</code></p>" % _e(b["reproducer"]),
           "<h4>Reproduce</h4><pre>%s</pre>" % _e("\n".join(
               b["commands"][k] for k in ("replay", "repro", "binary") if k in b["commands"])),
           "<h4>Minimized program</h4><pre>%s</pre>" % _e(b.get("program", "")),
           "<h4>Report</h4><pre>%s</pre>" % _e(report)]
    hm = b.get("heapmap")
    if hm and os.path.isfile(os.path.join(root, hm)):
        out.append('<h4>Heap map</h4><img alt="heap map" src="%s">' %
                   _data_uri(os.path.join(root, hm), "image/svg+xml"))
    else:
        out.append("<h4>Heap map</h4><p>(no heap map: this tree has no "
                   "<code>slabfuzz heapmap</code>)</p>")
    out.append("</div>")
    return "\n".join(out)


def _coverage(cov, root, out_dir):
    if not cov:
        return "<p>Coverage was not measured in this run (<code>ci/fuzz --mode coverage</code>).</p>"
    rows = ['<p>Replay of the corpora under clang source-based coverage: '
            '<a id="llvm-cov" href="%s">llvm-cov pages</a>.</p>' % _e(_link(root, out_dir, cov["html"])),
            '<table id="coverage"><tr><th>alloc/ file</th><th>lines</th><th>line %</th>'
            '<th>branches</th><th>branch %</th></tr>']
    for f in cov["files"] + [dict(cov["total"], file="total")]:
        rows.append("<tr><td>%s</td><td>%d</td><td>%.1f%%</td><td>%d</td><td>%.1f%%</td></tr>" % (
            _e(f["file"]), f["lines"], f["line_pct"], f["branches"], f["branch_pct"]))
    rows.append("</table>")
    return "\n".join(rows)


def render(c, root, out_html):
    out_dir = os.path.dirname(os.path.abspath(out_html))
    new = [b for b in c["buckets"] if not b["known"]]
    verdict = ('<p class="verdict bad" id="verdict">%d new bucket%s: exit 1</p>' % (
        len(new), "" if len(new) == 1 else "s") if new else
        '<p class="verdict ok" id="verdict">no new bucket: exit 0</p>')
    parts = ["<!DOCTYPE html><html><head><meta charset=\"utf-8\">",
             "<title>slabfuzz campaign</title><style>%s</style></head><body>" % CSS,
             "<h1>slabfuzz campaign</h1>",
             "<p>mode <b>%s</b>, engine <b>%s</b>, jobs %d, budget %d s, targets %s</p>" % (
                 _e(c["mode"]), _e(c["engine"]), c["jobs"], c["time"],
                 _e(", ".join(t["target"] for t in c["targets"]))),
             verdict, "<h2>Summary</h2>", _summary(c), "<h2>Plots</h2><div class=\"plots\">"]
    for t, png in sorted(c.get("plots", {}).items()):
        if os.path.isfile(os.path.join(root, png)):
            parts.append('<img alt="%s" src="%s">' % (_e(t), _data_uri(os.path.join(root, png), "image/png")))
    parts.append("</div>")
    for t, dirs in sorted(c.get("afl_plots", {}).items()):
        parts.append("<p>afl-plot, %s: %s</p>" % (_e(t), ", ".join(
            '<a href="%s">%s</a>' % (_e(_link(root, out_dir, os.path.join(d, "index.html"))),
                                     _e(os.path.basename(d))) for d in dirs)))
    for note in c.get("afl_plot_notes", []):
        parts.append('<p class="note afl-plot-note">afl-plot: %s</p>' % _e(note))
    parts.append("<h2>Buckets</h2>")
    if not c["buckets"]:
        parts.append("<p>No findings.</p>")
    for n, b in enumerate(sorted(c["buckets"], key=lambda b: (b["known"], b["target"], b["title"]))):
        parts.append(_bucket(b, root, out_dir, n))
    parts += ["<h2>Coverage</h2>", _coverage(c.get("coverage"), root, out_dir), "</body></html>\n"]
    write_atomic(out_html, "\n".join(parts))
    return out_html


def main(argv):
    js = argv[1] if len(argv) > 1 else os.path.join(CAMPAIGN, "campaign.json")
    root = argv[2] if len(argv) > 2 else ROOT
    out = argv[3] if len(argv) > 3 else os.path.join(os.path.dirname(js), "report.html")
    try:
        with open(js) as f:
            c = json.load(f)
    except (OSError, ValueError) as e:
        print("report: %s: %s" % (js, e), file=sys.stderr)
        return 3
    print(render(c, root, out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
