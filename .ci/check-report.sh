#!/usr/bin/env bash
# The run report in a real browser: `bash .ci/check-report.sh RUN_DIR`.
# Writes RUN_DIR/report.html with `submit/finegrained report`, opens it in headless Chromium
# (Debian's package, installed when missing) and asserts, from the DOM after the page's script
# ran: the script finished (data-js="ready"), the scatter has one point per OK trial of the
# journal and marks the front, the trial table has one row per journal row (up to its cap of
# 500), and the page wrote nothing to the console (every console message, errors included,
# shows as a CONSOLE line in Chromium's log). Leaves RUN_DIR/report.png, a screenshot.
set -euo pipefail
cd "$(dirname "$0")/.."
run=${1:?usage: .ci/check-report.sh RUN_DIR}
cap=500

if ! command -v chromium >/dev/null 2>&1; then
  echo "== installing chromium"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

report=$(submit/finegrained report "$run" | tail -n 1)
test -s "$report"

# The journal's own counts: complete lines (a torn last line has no newline), and OK rows.
rows=$(wc -l < "$run/trials.jsonl")
ok=$(grep -c '"status":"OK"' "$run/trials.jsonl" || true)
expected_rows=$(( rows < cap ? rows : cap ))

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
browser=(chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$work/profile")
url="file://$(cd "$(dirname "$report")" && pwd)/$(basename "$report")"
timeout 120 "${browser[@]}" --enable-logging=stderr --v=0 --dump-dom "$url" > "$work/dom.html" 2> "$work/browser.log"
timeout 120 "${browser[@]}" --window-size=1280,2000 --screenshot="$run/report.png" "$url" > /dev/null 2>&1

body=$(grep -o '<body[^>]*>' "$work/dom.html" | head -n 1)
attr() { sed -n "s/.* $1=\"\([^\"]*\)\".*/\1/p" <<< "$body"; }
fail() { echo "check-report: $*" >&2; echo "  body: $body" >&2; exit 1; }

[[ "$(attr data-js)" == ready ]] || fail "the page's script did not finish (data-js=$(attr data-js))"
[[ "$(attr data-drawn-points)" == "$ok" ]] || fail "the scatter shows $(attr data-drawn-points) points, the journal has $ok OK trials"
front=$(attr data-drawn-front)
if (( ok > 0 )); then
  (( front >= 1 && front <= ok )) || fail "the scatter marks $front front points (expected 1..$ok)"
fi
[[ "$(attr data-drawn-rows)" == "$expected_rows" ]] || fail "the table has $(attr data-drawn-rows) rows, expected $expected_rows of the journal's $rows"
if grep -q 'CONSOLE' "$work/browser.log"; then
  grep 'CONSOLE' "$work/browser.log" >&2
  fail "the page wrote to the console"
fi
test -s "$run/report.png" || fail "no screenshot"
echo "report ok: $report ($rows trials, $ok OK, $front on the front, $(attr data-drawn-rows) table rows; screenshot $run/report.png)"
