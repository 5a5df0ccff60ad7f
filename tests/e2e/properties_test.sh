#!/usr/bin/env bash
# Properties over every test page (issue 8): determinism (two runs, and any thread count,
# give identical bytes) and idempotence (cleaning winnow's own Markdown of an article gives
# the same title, text and Markdown again). Accounting is pinned by rejects_test.sh.
# Usage: properties_test.sh WINNOW TESTDATA_DIR
set -uo pipefail
winnow=$1
testdata=$2
source "$(dirname "${BASH_SOURCE[0]}")/harness.sh"

for page in "$testdata"/pages/*/input.txt; do
  name=$(basename "$(dirname "$page")")
  "$winnow" clean -q -j 1 "$page" > "$work/a.jsonl"
  "$winnow" clean -q -j 1 "$page" > "$work/b.jsonl"
  check "$name: two runs are identical" cmp -s "$work/a.jsonl" "$work/b.jsonl"
  "$winnow" clean -q -f md "$page" > "$work/a.md"
  "$winnow" clean -q "$work/a.md" > "$work/again.jsonl"
  "$winnow" clean -q -f md "$work/a.md" > "$work/again.md"
  check "$name: Markdown cleaned again gives the same titles and text" \
    cmp -s <(jq -c '[.title, .text]' "$work/a.jsonl") <(jq -c '[.title, .text]' "$work/again.jsonl")
  check "$name: Markdown cleaned again gives the same Markdown" cmp -s "$work/a.md" "$work/again.md"
  "$winnow" repair -q "$work/a.md" > "$work/repaired.md"
  "$winnow" repair -q "$work/repaired.md" > "$work/repaired-twice.md"
  check "$name: repair is idempotent" cmp -s "$work/repaired.md" "$work/repaired-twice.md"
done

# The whole set at once, on 1, 2 and 4 threads, cut into small segments: the same bytes.
cat "$testdata"/pages/*/input.txt > "$work/all.txt"
"$winnow" clean -q --keep-teasers -j 1 "$work/all.txt" "$testdata"/pages/*/input.txt > "$work/j1"
for j in 2 4; do
  "$winnow" clean -q --keep-teasers -j "$j" "$work/all.txt" "$testdata"/pages/*/input.txt \
    > "$work/j$j"
  check "-j $j gives the bytes of -j 1" cmp -s "$work/j1" "$work/j$j"
done

echo "properties: $passes passed, $failures failed"
[ "$failures" -eq 0 ]
