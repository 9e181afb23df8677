#!/usr/bin/env bash
# ctest case report_html: renders a campaign's report.html with
# ci/campaign/report.py, loads it in headless Chromium (installed with
# ci_need), takes a screenshot and checks the DOM Chromium dumps against
# the campaign's JSON (check_dom.py says what it checks).
#
#   tests/report/test_report_html.sh [CAMPAIGN_JSON ROOT [SCREENSHOT]]
# By default the campaign is tests/report/fixture/ (recorded from a real
# campaign that found a planted bug: see fixture/README.md); ci/test also
# runs it on the campaign its ci/fuzz smoke just made.
set -euo pipefail
cd "$(dirname "$0")/../.."
. ci/lib.sh
ci_need python3 python3 chromium chromium
js=${1:-tests/report/fixture/campaign.json}
root=${2:-tests/report/fixture}
tmp=$(mktemp -d /tmp/slabfuzz-report.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
shot=${3:-$tmp/report.png}
python3 ci/campaign/report.py "$js" "$root" "$tmp/report.html" >/dev/null
# no sandbox: CI runs as root; no GPU, no extensions, nothing fetched
flags=(--headless --no-sandbox --disable-gpu --disable-extensions --no-first-run
       --hide-scrollbars --user-data-dir="$tmp/profile")
timeout 120 chromium "${flags[@]}" --window-size=1200,1800 --screenshot="$shot" \
  "file://$tmp/report.html" >"$tmp/shot.log" 2>&1 || { cat "$tmp/shot.log"; exit 1; }
[ -s "$shot" ] || { echo "FAIL: no screenshot"; exit 1; }
[ "$(head -c 8 "$shot" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ||
  { echo "FAIL: the screenshot is not a PNG"; exit 1; }
timeout 120 chromium "${flags[@]}" --dump-dom "file://$tmp/report.html" \
  >"$tmp/dom.html" 2>"$tmp/dom.log" || { cat "$tmp/dom.log"; exit 1; }
python3 tests/report/check_dom.py "$tmp/dom.html" "$js"
echo "screenshot taken: $(wc -c <"$shot") bytes${3:+, in $shot}"
