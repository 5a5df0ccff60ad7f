#!/usr/bin/env bash
# End-to-end tests of `winnow check`: the exit-status contract, the four report formats, rule
# options, and the consistency of clean and check on every test page.
# Usage: check_test.sh WINNOW TESTDATA_DIR
set -uo pipefail
winnow=$1
testdata=$2
seed=$testdata/pages/seed-megatron/input.txt
source "$(dirname "${BASH_SOURCE[0]}")/harness.sh"
has() { grep -qF -- "$2" "$1"; }          # has FILE TEXT
lacks() { ! grep -qF -- "$2" "$1"; }      # lacks FILE TEXT

# winnow's own output passes its own check: every test page on its own, then all pages in one
# run in each output format.
for page in "$testdata"/pages/*/input.txt; do
  name=$(basename "$(dirname "$page")")
  "$winnow" clean -q "$page" | "$winnow" check -q - > "$work/out" 2>&1
  status=${PIPESTATUS[1]}
  check "clean $name | check - exits 0 (got $status: $(head -c 300 "$work/out"))" \
    test "$status" -eq 0
done
for format in jsonl json md; do
  "$winnow" clean -q -f $format "$testdata"/pages/*/input.txt | "$winnow" check -q - > "$work/out" 2>&1
  status=${PIPESTATUS[1]}
  check "clean -f $format of all pages | check - exits 0 (got $status: $(head -c 300 "$work/out"))" \
    test "$status" -eq 0
done

# The raw seed page is not clean: exit 1, findings naming the file and the line.
"$winnow" check "$seed" > "$work/seed.txt" 2> "$work/err"
check "raw seed exits 1" test $? -eq 1
check "raw seed: breadcrumb named with file and line" \
  has "$work/seed.txt" "$seed:1:1: error: chrome line (rule nav.breadcrumb)"
check "raw seed: related header" has "$work/seed.txt" "$seed:11:1: error: chrome line (rule tail.related-header)"
check "raw seed: a teaser cut inside a reference" \
  has "$work/seed.txt" "$seed:47:136: error: truncated related-list teaser: &#xff0…... [teaser-marker]"
check "raw seed summary" has "$work/err" "winnow: 1 file, 31 records: 33 errors, 0 warnings (chrome-line 2, teaser-marker 30, invisible-char 1)"
check "raw seed: findings in line order" \
  test "$(cut -d: -f2 "$work/seed.txt" | sort -n | tr '\n' ' ')" = "$(cut -d: -f2 "$work/seed.txt" | tr '\n' ' ')"

# Teasers kept by clean are flagged.
"$winnow" clean -q --keep-teasers "$seed" | "$winnow" check -q - > "$work/out"
check "kept teasers fail the check" test "${PIPESTATUS[1]}" -eq 1
check "kept teasers are teaser-marker findings" test "$(grep -c '\[teaser-marker\]' "$work/out")" -eq 29

# A JSONL file: a reference and a related-list header on line 1, broken JSON on line 2.
bad=$work/bad.jsonl
printf '%s\n' '{"title":"示例","text":"正文&#xff1a;内容\n相关文章:"}' \
              '{"title":"坏的", "text": "没有结束' > "$bad"
"$winnow" check "$bad" > "$work/bad.txt" 2> "$work/err"
check "bad jsonl exits 1" test $? -eq 1
check "text: entity on line 1" has "$work/bad.txt" "$bad:1:3: error: character reference left in the text: &#xff1a; [entity-left]"
check "text: chrome on line 1" has "$work/bad.txt" "$bad:1:14: error: chrome line (rule tail.related-header): \"相关文章:\" [chrome-line]"
check "text: broken JSON on line 2" has "$work/bad.txt" "$bad:2:29: error: invalid JSON: syntax error while parsing value - invalid string: missing closing quote"
check "text: summary" has "$work/err" "winnow: 1 file, 1 record: 3 errors, 0 warnings (entity-left 1, chrome-line 1, invalid-json 1)"

"$winnow" check -q -f json "$bad" > "$work/bad.json"
check "json exits 1" test $? -eq 1
check "json: line 1 entity" has "$work/bad.json" '"line":1,"column":3,"rule":"entity-left","severity":"error"'
check "json: line 1 chrome" has "$work/bad.json" '"line":1,"column":14,"rule":"chrome-line"'
check "json: line 2" has "$work/bad.json" '"line":2,"column":29,"rule":"invalid-json"'

"$winnow" check -q -f github "$bad" > "$work/bad.github"
check "github exits 1" test $? -eq 1
check "github: line 1 entity" has "$work/bad.github" "::error file=$bad,line=1,col=3,title=entity-left::"
check "github: line 1 chrome" has "$work/bad.github" "::error file=$bad,line=1,col=14,title=chrome-line::"
check "github: line 2" has "$work/bad.github" "::error file=$bad,line=2,col=29,title=invalid-json::"

"$winnow" check -q -f sarif "$bad" > "$work/bad.sarif"
check "sarif exits 1" test $? -eq 1
check "sarif: version" has "$work/bad.sarif" '"version":"2.1.0"'
check "sarif: line 1" has "$work/bad.sarif" '"ruleId":"entity-left","ruleIndex":0,"level":"error"'
check "sarif: line 1 region" has "$work/bad.sarif" '"region":{"startLine":1,"startColumn":3'
check "sarif: line 2 region" has "$work/bad.sarif" '"region":{"startLine":2,"startColumn":29'
check "sarif: fingerprints" test "$(grep -o '"partialFingerprints"' "$work/bad.sarif" | wc -l)" -eq 3
if command -v python3 > /dev/null; then
  for f in bad.json bad.sarif; do
    check "$f is valid JSON" python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$work/$f"
  done
fi

# A missing file exits 2 and is named; the other inputs are still checked.
"$winnow" check "$work/no-such-file.jsonl" > /dev/null 2> "$work/err"
check "missing file exits 2" test $? -eq 2
check "missing file named" has "$work/err" "no-such-file.jsonl: error: No such file or directory"
"$winnow" check "$work/no-such-file.jsonl" "$bad" > "$work/out" 2> "$work/err"
check "missing file beside findings still exits 2" test $? -eq 2
check "the other input is still checked" has "$work/out" "[invalid-json]"
check "summary counts the input not read" has "$work/err" "; 1 input not read"
"$winnow" check --exit-zero "$work/no-such-file.jsonl" > /dev/null 2>&1
check "--exit-zero keeps status 2" test $? -eq 2

# --exit-zero, --strict, and warnings alone.
"$winnow" check -q --exit-zero "$bad" > /dev/null
check "--exit-zero exits 0 on findings" test $? -eq 0
vue=$testdata/pages/vue-debounce-spread/input.txt
"$winnow" clean -q "$vue" > "$work/vue.jsonl"
"$winnow" check "$work/vue.jsonl" > "$work/out" 2> "$work/err"
check "warnings alone exit 0" test $? -eq 0
check "code damage reported as a warning" has "$work/out" 'warning: declaration without '"'"'='"'"' (lost in scraping?): "let sum 0;" [code-damage]'
"$winnow" check -q --strict "$work/vue.jsonl" > /dev/null
check "--strict makes warnings fail" test $? -eq 1

# --select, --ignore, --max-findings.
"$winnow" check -q --select entity-left "$bad" > "$work/out"
check "--select keeps only that rule" test "$(grep -c '' "$work/out")" -eq 1
check "--select output" has "$work/out" "[entity-left]"
"$winnow" check -q --ignore entity-left,chrome-line "$bad" > "$work/out"
check "--ignore drops rules" test "$(grep -c '' "$work/out")" -eq 1
check "--ignore output" has "$work/out" "[invalid-json]"
"$winnow" check -q --select chrome-line --ignore chrome-line "$bad" > /dev/null
check "nothing selected exits 0" test $? -eq 0
"$winnow" check --ignore entity-lft "$bad" > /dev/null 2> "$work/err"
check "unknown check rule exits 2" test $? -eq 2
check "unknown check rule: did you mean" has "$work/err" "--ignore: unknown check rule 'entity-lft'; did you mean 'entity-left'?"
"$winnow" check --max-findings 1 "$bad" > "$work/out" 2> "$work/err"
check "--max-findings still exits 1" test $? -eq 1
check "--max-findings writes 1" test "$(grep -c '' "$work/out")" -eq 1
check "--max-findings summary" has "$work/err" "3 errors, 0 warnings (entity-left 1, chrome-line 1, invalid-json 1); 1 shown (--max-findings)"

# The rule engine's options work as for clean: --disable and user --rules.
"$winnow" check -q --disable tail.related-header "$bad" > "$work/out"
check "--disable switches a chrome rule off" lacks "$work/out" "[chrome-line]"
"$winnow" check --disable tail.related-headr "$bad" > /dev/null 2> "$work/err"
check "--disable unknown rule exits 2" test $? -eq 2
cat > "$work/rules.json" <<'EOF'
{"rules": [{"id": "my.ad", "action": "drop-line", "pattern": "^广告:"}]}
EOF
printf '%s\n' '{"title":"t","text":"正文。\n广告:买一送一"}' > "$work/ad.jsonl"
"$winnow" check -q "$work/ad.jsonl" > /dev/null
check "no user rule, no finding" test $? -eq 0
"$winnow" check -q --rules "$work/rules.json" "$work/ad.jsonl" > "$work/out"
check "user rule finds chrome" has "$work/out" "ad.jsonl:1:5: error: chrome line (rule my.ad): \"广告:买一送一\" [chrome-line]"
echo '{"rules": [' > "$work/broken-rules.json"
"$winnow" check --rules "$work/broken-rules.json" "$bad" > /dev/null 2>&1
check "broken rule file exits 2" test $? -eq 2

# Other inputs: --field, JSON arrays, Markdown, forced raw, directories, -o.
printf '%s\n' '{"content":"好&lt;的"}' > "$work/content.jsonl"
"$winnow" check -q --field content "$work/content.jsonl" > "$work/out"
check "--field names the text field" has "$work/out" "content.jsonl:1:2: error: character reference left in the text: &lt; [entity-left]"
"$winnow" check -q "$work/content.jsonl" > "$work/out"
check "missing text field" has "$work/out" "content.jsonl:1: error: no \"text\" field [missing-field]"
"$winnow" clean -q -f json "$seed" > "$work/seed.json"
"$winnow" check -q "$work/seed.json"
check "clean JSON array passes" test $? -eq 0
"$winnow" check -q --input-format raw - < "$seed" > "$work/out"
check "forced raw on stdin" has "$work/out" "-:1:1: error: chrome line (rule nav.breadcrumb)"
mkdir -p "$work/corpus/sub"
cp "$bad" "$work/corpus/sub/bad.jsonl"
"$winnow" clean -q "$seed" > "$work/corpus/good.jsonl"
"$winnow" check -q "$work/corpus" > "$work/out"
check "directory exits 1" test $? -eq 1
check "directory: the file inside is named" has "$work/out" "$work/corpus/sub/bad.jsonl:2:29:"
mkdir "$work/nothing"
"$winnow" check "$work/nothing" > /dev/null 2> "$work/err"
check "a directory without corpus files exits 0" test $? -eq 0
check "a directory without corpus files is warned about" has "$work/err" "nothing: warning: no files to check"
"$winnow" check -q -f sarif -o "$work/report.sarif" "$bad"
check "-o writes the report and exits 1" test $? -eq 1
check "-o report is SARIF" has "$work/report.sarif" '"version":"2.1.0"'
"$winnow" check -q -o "$work/no-such-dir/r.sarif" "$bad" 2> "$work/err"
check "unwritable -o exits 2" test $? -eq 2

# A closed report pipe ends the run early, without SIGPIPE; the status still tells of errors.
for i in $(seq 1 300); do cat "$seed"; done > "$work/big.txt"
"$winnow" check -q "$work/big.txt" | head -n 1 > /dev/null
check "closed pipe exits 1 (errors were found), not 141" test "${PIPESTATUS[0]}" -eq 1

# Invalid UTF-8 and an empty input.
printf '{"text":"好\xff的"}\n' > "$work/utf8.jsonl"
"$winnow" check -q "$work/utf8.jsonl" > "$work/out"
check "invalid utf-8 exits 1" test $? -eq 1
check "invalid utf-8 finding" has "$work/out" "utf8.jsonl:1: error: invalid UTF-8 (read as U+FFFD), the first sequence at byte 12 [invalid-utf8]"
: > "$work/empty.jsonl"
"$winnow" check "$work/empty.jsonl" > /dev/null 2> "$work/err"
check "empty input exits 0" test $? -eq 0
check "empty input summary" has "$work/err" "winnow: 1 file, 0 records: 0 errors, 0 warnings"

# Help documents the exit statuses and the rules.
"$winnow" check --help > "$work/help" 2>&1
check "check --help exits 0" test $? -eq 0
check "help: exit status 1" has "$work/help" "1  at least one error, or with --strict at least one warning"
check "help: exit status 2" has "$work/help" "2  usage or rule error, or an input that could not be read"
check "help lists rules" has "$work/help" "mixed-width"
"$winnow" check --list-rules > "$work/out"
check "--list-rules lists every rule" test "$(grep -c '' "$work/out")" -eq 15
"$winnow" check --format xml "$bad" > /dev/null 2>&1
check "bad --format exits 2" test $? -eq 2

echo "$passes passed, $failures failed"
[ $failures -eq 0 ]
