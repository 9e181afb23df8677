"""Checks the DOM headless Chromium dumped of a report.html against the
campaign JSON it was rendered from: the summary table has a row per
fuzzer of every target, each bucket has its section with its title and
reproducer commands, the verdict counts the new buckets, the coverage
table has a row per alloc/ file, and nothing is loaded from a network.

  python3 check_dom.py DOM.html CAMPAIGN.json      exit 0 ok, 1 a check failed
"""
import json
import sys
from html.parser import HTMLParser


class Dom(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.tables, self.buckets, self.urls = [], {}, [], []
        self.table, self.row, self.cell, self.text = None, None, None, {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for k in ("src", "href"):
            if k in a:
                self.urls.append(a[k])
        if tag == "table":
            self.table = a.get("id", "")
            self.tables[self.table] = []
        elif tag == "tr" and self.table is not None:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []
        elif tag == "div" and "bucket" in a.get("class", "").split():
            self.buckets.append({"title": None, "target": a.get("data-target"), "text": []})
        elif tag == "h3" and "bucket-title" in a.get("class", ""):
            self.cell_title = []
        if a.get("id"):
            self.text.setdefault(a["id"], [])
            self.stack.append(a["id"])
        else:
            self.stack.append(None)

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.row.append("".join(self.cell).strip())
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.tables[self.table].append(self.row)
            self.row = None
        elif tag == "table":
            self.table = None
        elif tag == "h3" and getattr(self, "cell_title", None) is not None:
            self.buckets[-1]["title"] = "".join(self.cell_title).strip()
            self.cell_title = None
        if self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)
        if getattr(self, "cell_title", None) is not None:
            self.cell_title.append(data)
        if self.buckets:
            self.buckets[-1]["text"].append(data)
        for i in self.stack:
            if i:
                self.text[i].append(data)


def main(dom_path, json_path):
    with open(dom_path) as f:
        dom = Dom()
        dom.feed(f.read())
    with open(json_path) as f:
        c = json.load(f)
    bad = []
    rows = dom.tables.get("summary", [])[1:]
    want = [(t["target"], i["name"]) for t in c["targets"] for i in t["instances"]]
    got, target = [], None
    for r in rows:
        target = r[0] or target
        got.append((target, r[1]))
    if got != want:
        bad.append("summary rows %s, want %s" % (got, want))
    for (t, i), r in zip(want, rows):
        inst = next(x for tt in c["targets"] if tt["target"] == t for x in tt["instances"] if x["name"] == i)
        if r[2] != str(inst["execs"]):
            bad.append("%s/%s: execs cell %r, want %d" % (t, i, r[2], inst["execs"]))
    titles = sorted((b["target"], b["title"]) for b in dom.buckets)
    want_b = sorted((b["target"], b["title"]) for b in c["buckets"])
    if titles != want_b:
        bad.append("bucket sections %s, want %s" % (titles, want_b))
    for b in c["buckets"]:
        sec = next((d for d in dom.buckets
                    if (d["target"], d["title"]) == (b["target"], b["title"])), None)
        if sec and b["commands"]["repro"] not in "".join(sec["text"]):
            bad.append("bucket %r lacks its repro command" % b["title"])
    new = sum(1 for b in c["buckets"] if not b["known"])
    verdict = "".join(dom.text.get("verdict", []))
    if (new and "%d new bucket" % new not in verdict) or (not new and "no new bucket" not in verdict):
        bad.append("verdict %r for %d new buckets" % (verdict, new))
    if c.get("coverage"):
        cov_rows = dom.tables.get("coverage", [])[1:]
        if [r[0] for r in cov_rows] != [f["file"] for f in c["coverage"]["files"]] + ["total"]:
            bad.append("coverage table rows do not match the JSON's files")
        if "llvm-cov" not in dom.text:
            bad.append("no link to the llvm-cov pages")
    remote = [u for u in dom.urls if u.split(":", 1)[0] in ("http", "https", "ftp")
              or u.startswith("//")]
    if remote:
        bad.append("loads from the network: %s" % remote[:3])
    for b in bad:
        print("FAIL: %s" % b)
    print("report DOM: %d summary rows, %d bucket sections, %d problems" % (
        len(rows), len(dom.buckets), len(bad)))
    return 1 if bad else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print("usage: check_dom.py DOM.html CAMPAIGN.json", file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
