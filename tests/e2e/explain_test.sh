#!/usr/bin/env bash
# winnow explain (issue 5): each input line with its fate, as text and as JSON.
# Usage: explain_test.sh WINNOW TESTDATA_DIR
set -uo pipefail
winnow=$1
testdata=$2
source "$(dirname "${BASH_SOURCE[0]}")/harness.sh"
line_of() { grep -E "^ +$1( |$)" "$work/explain.txt" | sed 's/  */ /g; s/^ //'; }

# The seed page, line by line: the rules that fired, the article's lines, the dropped records.
cd "$testdata/pages/seed-megatron" || exit 2
"$winnow" explain input.txt > "$work/explain.txt" 2> "$work/err"
check "explain exits 0" test $? -eq 0
check "explain prints nothing on stderr" test ! -s "$work/err"
check "explain names the source" test "$(head -n 1 "$work/explain.txt")" = "== input.txt"
check "line 1 dropped by the breadcrumb rule" test "$(line_of 1)" = "1 drop nav.breadcrumb 当前位置: 首页 > news >正文"
check "line 2 is blank" test "$(line_of 2)" = "2"
check "line 3 is the title of record 1" test "$(line_of 3)" = "3 title #1 Megatron-LM GPT 源码分析(三) Pipeline Parallel分析"
check "line 5 is body of record 1" test "$(line_of 5)" = "5 body #1 引言"
check "line 11 starts the related list" test "$(line_of 11)" = "11 drop tail.related-header 相关文章:"
check "line 13 is a duplicate's title" test "$(line_of 13)" = "13 title p0.1 dropped: duplicate Megatron-LM GPT 源码分析(三) Pipeline Parallel分析"
check "line 19 is a cut teaser" grep -qE '^ +19  teaser p0\.2 dropped: truncated-teaser +首先了解' "$work/explain.txt"
check "every line is shown" test "$(grep -cE '^ +[0-9]+' "$work/explain.txt")" -eq "$(grep -c '' input.txt)"
check "summary of fates" grep -qxF -- "-- 131 lines: 4 kept, 2 dropped by rules, 60 in dropped records, 65 blank" "$work/explain.txt"
check "rules that fired" grep -qxF -- "-- rules: nav.breadcrumb 1 tail.related-header 1" "$work/explain.txt"
check "no colour into a pipe" test "$(grep -c $'\033' "$work/explain.txt")" -eq 0
"$winnow" explain --color always input.txt > "$work/color.txt"
check "--color always paints the fate" grep -qF $'\033[31mdrop   nav.breadcrumb\033[0m' "$work/color.txt"

# A user rule shows up by its id.
"$winnow" explain --rules "$testdata/rules/seed-heading.json" input.txt > "$work/explain.txt"
check "a user rule is named" test "$(line_of 9)" = "9 drop site.seed-heading Pipeline Parallel源码分析"
# --keep-teasers explains that run: the teasers are kept, numbered after the article.
"$winnow" explain --keep-teasers input.txt > "$work/explain.txt"
check "--keep-teasers keeps teasers" test "$(line_of 19 | cut -d' ' -f1-3)" = "19 teaser #2"

# JSON: one object per input line.
"$winnow" explain -f json input.txt > "$work/explain.jsonl"
check "json has one object per line" test "$(jq -s 'length' "$work/explain.jsonl")" -eq 131
check "json line 1" test "$(jq -c 'select(.line == 1) | [.fate, .rule, .record.index, .record.emitted, .record.number]' "$work/explain.jsonl")" = '["dropped","nav.breadcrumb",0,true,1]'
check "json line 15" test "$(jq -c 'select(.line == 15) | [.fate, .record.kind, .record.emitted, .record.reason]' "$work/explain.jsonl")" = '["teaser","related",false,"duplicate"]'
check "json blank line" test "$(jq -c 'select(.line == 2) | [.fate, .text]' "$work/explain.jsonl")" = '["blank",""]'

# Every test page: no line unaccounted for, and the same number of lines as the input.
for dir in "$testdata"/pages/*/; do
  name=$(basename "$dir")
  "$winnow" explain -f json "$dir/input.txt" > "$work/page.jsonl"
  check "$name: explain exits 0" test $? -eq 0
  check "$name: no unaccounted line" test "$(jq -s 'map(select(.fate == "unaccounted")) | length' "$work/page.jsonl")" -eq 0
  check "$name: every line shown" test "$(jq -s 'length' "$work/page.jsonl")" -eq "$(grep -c '' "$dir/input.txt")"
done

# Standard input, several inputs, a missing one, bad rules.
"$winnow" explain < input.txt > "$work/stdin.txt"
check "stdin is explained as -" test "$(head -n 1 "$work/stdin.txt")" = "== -"
"$winnow" explain "$work/no-such.txt" input.txt > "$work/explain.txt" 2> "$work/err"
check "missing input exits 2" test $? -eq 2
check "missing input is named" grep -qF "no-such.txt: error: No such file or directory" "$work/err"
check "other inputs still explained" grep -qxF "== input.txt" "$work/explain.txt"
"$winnow" explain --rules "$testdata/rules/bad/regex.json" input.txt > "$work/out" 2> "$work/err"
check "bad rules exit 2" test $? -eq 2
check "bad rules print nothing" test ! -s "$work/out"

# The README's worked example stays true.
cd "$testdata/.." || exit 2
"$winnow" explain docs/examples/site-ad.txt > "$work/explain.txt"
check "README example: the ad is kept without the rule" test "$(line_of 9 | cut -d' ' -f1-3)" = "9 body #1"
"$winnow" explain --rules docs/examples/site-ad-rules.json docs/examples/site-ad.txt > "$work/explain.txt"
check "README example: the rule drops line 9" test "$(line_of 9 | cut -d' ' -f1-3)" = "9 drop site.cloud-ad"
check "README example: the rule drops line 15" test "$(line_of 15 | cut -d' ' -f1-3)" = "15 drop site.cloud-ad"
check "README example: only those two" test "$(grep -c 'drop   site.cloud-ad' "$work/explain.txt")" -eq 2
"$winnow" rules --test docs/examples/site-ad-rules.json > /dev/null 2>&1
check "README example: its examples pass" test $? -eq 0

echo "$passes passed, $failures failed"
[ $failures -eq 0 ]
