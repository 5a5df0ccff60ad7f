#!/usr/bin/env bash
# The removal audit (issue 5): on every test page, `winnow clean --rejects` accounts for every
# input line. Each non-blank line is inside an emitted record's line range or in the rejects
# file (a dropped line, or a line held by a dropped record); no line is rejected twice, and no
# line of a dropped record lies inside an emitted record. Checked with the default filter,
# with --keep-teasers --keep-duplicates, and on each page twice in a row; and the output and
# summary are the same without --rejects.
# Usage: rejects_test.sh WINNOW TESTDATA_DIR
set -uo pipefail
winnow=$1
testdata=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
runs=0

# account NAME INPUT [CLEAN OPTIONS...]
account() {
  local name=$1 input=$2; shift 2
  runs=$((runs + 1))
  if ! "$winnow" clean --rejects "$work/rejects.jsonl" "$@" "$input" > "$work/out.jsonl" \
      2> "$work/summary"; then
    echo "FAIL [$name]: winnow clean failed"; failures=$((failures + 1)); return
  fi
  # Asking for the rejects changes nothing else: the same records, the same tally of fates
  # (without it, teasers are dropped before repair).
  "$winnow" clean "$@" "$input" > "$work/plain.jsonl" 2> "$work/plain-summary"
  if ! cmp -s "$work/out.jsonl" "$work/plain.jsonl" || ! cmp -s "$work/summary" "$work/plain-summary"; then
    echo "FAIL [$name]: output or summary differs without --rejects"; failures=$((failures + 1))
  fi
  jq -r '.metadata.lines | "\(.[0]) \(.[1])"' "$work/out.jsonl" > "$work/emitted"
  jq -r 'if .drop == "line" then "line \(.line)" else (.lines[] | "record \(.)") end' \
    "$work/rejects.jsonl" > "$work/rejected"
  # Blank: nothing but spaces, tabs, CR, NBSP, ideographic or zero-width spaces, a BOM.
  LC_ALL=C awk -v name="$name" -v emitted="$work/emitted" -v rejected="$work/rejected" '
    BEGIN {
      while ((getline line < emitted) > 0) { split(line, r, " "); first[++n] = r[1]; last[n] = r[2] }
      while ((getline line < rejected) > 0) {
        split(line, r, " ")
        if (r[2] in rejected_line) { printf "FAIL [%s]: line %s rejected twice\n", name, r[2]; bad++ }
        rejected_line[r[2]] = r[1]
      }
    }
    function in_emitted(l,   i) { for (i = 1; i <= n; i++) if (l >= first[i] && l <= last[i]) return 1; return 0 }
    {
      text = $0
      gsub(/\r|\t| |\302\240|\343\200\200|\342\200\213|\357\273\277/, "", text)
      kept = in_emitted(NR)
      if ((NR in rejected_line) && rejected_line[NR] == "record" && kept) {
        printf "FAIL [%s]: line %d is held by a dropped record inside an emitted one\n", name, NR; bad++
      }
      if (text != "" && !kept && !(NR in rejected_line)) {
        printf "FAIL [%s]: line %d is neither emitted nor rejected: %s\n", name, NR, $0; bad++
      }
      lines = NR
    }
    END {
      for (l in rejected_line) if (l + 0 > lines) { printf "FAIL [%s]: rejected line %s past the end\n", name, l; bad++ }
      exit bad > 0
    }' "$input" || failures=$((failures + 1))
}

for dir in "$testdata"/pages/*/; do
  input=$dir/input.txt
  [ -f "$input" ] || continue
  name=$(basename "$dir")
  account "$name" "$input"
  account "$name --keep-teasers --keep-duplicates" "$input" --keep-teasers --keep-duplicates
  { cat "$input"; echo; cat "$input"; } > "$work/twice.txt"
  account "$name twice" "$work/twice.txt"
done

# The rejects file names the rule of each dropped line and the reason of each dropped record.
seed=$testdata/pages/seed-megatron/input.txt
"$winnow" clean -q --rejects "$work/rejects.jsonl" "$seed" > /dev/null
runs=$((runs + 1))
first=$(head -n 1 "$work/rejects.jsonl" | jq -c '[.drop, .line, .reason, .page, .record]')
[ "$first" = '["line",1,"nav.breadcrumb",0,0]' ] ||
  { echo "FAIL: first reject is $first"; failures=$((failures + 1)); }
counts=$(jq -r 'select(.drop == "record") | .reason' "$work/rejects.jsonl" | sort | uniq -c | tr -s ' ')
[ "$counts" = " 1 duplicate
 29 truncated-teaser" ] || { echo "FAIL: record reasons: $counts"; failures=$((failures + 1)); }

# An unwritable rejects file fails before any input is read.
"$winnow" clean -q --rejects "$work/no-such-dir/r.jsonl" "$seed" > "$work/out" 2> "$work/err"
status=$?
runs=$((runs + 1))
{ [ $status -eq 2 ] && [ ! -s "$work/out" ] && grep -q "no-such-dir/r.jsonl: error: cannot create rejects file" "$work/err"; } ||
  { echo "FAIL: unwritable rejects file (status $status)"; cat "$work/err"; failures=$((failures + 1)); }

echo "$runs runs, $failures failed"
[ $failures -eq 0 ]
