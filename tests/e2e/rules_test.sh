#!/usr/bin/env bash
# End-to-end tests of rules as data (issue 5): user rule files, --enable/--disable,
# --no-builtin-rules, and the exact error of each bad rule file: exit 2 before any input is
# read. Usage: rules_test.sh WINNOW TESTDATA_DIR
set -uo pipefail
winnow=$1
testdata=$2
seed=$testdata/pages/seed-megatron/input.txt
source "$(dirname "${BASH_SOURCE[0]}")/harness.sh"
seed_bytes=$(wc -c < "$seed")

# expect_rule_error NAME EXPECTED_STDERR ARGS...: winnow clean ARGS with the seed page on
# standard input exits 2, prints exactly the expected message, and reads none of its input.
expect_rule_error() {
  local name=$1 expected=$2; shift 2
  local status left
  { (cd "$testdata/rules" && "$winnow" clean "$@" > "$work/out" 2> "$work/err"); status=$?
    left=$(wc -c); } < "$seed"
  check "$name exits 2" test "$status" -eq 2
  check "$name message" test "$(cat "$work/err")" = "$expected"
  [ "$(cat "$work/err")" = "$expected" ] || { echo "  expected: $expected"; echo "  actual:   $(cat "$work/err")"; }
  check "$name reads no input" test "$left" -eq "$seed_bytes"
  check "$name writes no output" test ! -s "$work/out"
}

expect_rule_error "json syntax error" \
  "winnow: error: bad/syntax.json:2:51: syntax error while parsing object - unexpected string literal; expected '}'" \
  --rules bad/syntax.json
expect_rule_error "bad regex" \
  "winnow: error: bad/regex.json: rule 'ad.mine': invalid pattern: missing ): (abc" \
  --rules bad/regex.json
expect_rule_error "bad regex in a disabled rule" \
  "winnow: error: bad/regex-disabled.json: rule 'ad.mine': invalid pattern: missing ): (abc" \
  --rules bad/regex-disabled.json
expect_rule_error "duplicate id in one file" \
  "winnow: error: bad/duplicate.json: rule 'ad.mine': duplicate id, rules #1 and #2" \
  --rules bad/duplicate.json
expect_rule_error "duplicate of a builtin id" \
  "winnow: error: bad/duplicate-builtin.json: rule 'nav.breadcrumb': duplicate id, already defined in builtin" \
  --rules bad/duplicate-builtin.json
expect_rule_error "unknown action" \
  "winnow: error: bad/action.json: rule 'ad.mine': unknown action 'drop_line'; did you mean 'drop-line'? valid actions: drop-line, drop-block, start-tail, end-body, start-page, drop-record, strip-match" \
  --rules bad/action.json
expect_rule_error "unknown scope" \
  "winnow: error: bad/scope.json: rule 'ad.mine': unknown scope 'haed'; did you mean 'head'? valid scopes: head, body, tail, title, any" \
  --rules bad/scope.json
expect_rule_error "misspelt --disable id" \
  "winnow: error: --disable: unknown rule id 'nav.bredcrumb'; did you mean 'nav.breadcrumb'?" \
  --disable nav.bredcrumb
expect_rule_error "misspelt --enable id" \
  "winnow: error: --enable: unknown rule id 'tail.related-heder'; did you mean 'tail.related-header'?" \
  --enable tail.related-heder
expect_rule_error "unknown --disable id without a near one" \
  "winnow: error: --disable: unknown rule id 'zzz.qqq'" \
  --disable nav.breadcrumb,zzz.qqq
expect_rule_error "the second bad file is reported too" \
  "winnow: error: bad/scope.json: rule 'ad.mine': unknown scope 'haed'; did you mean 'head'? valid scopes: head, body, tail, title, any" \
  --rules seed-heading.json --rules bad/scope.json

# A missing rule file is a usage error.
"$winnow" clean --rules "$work/no-such-rules.json" "$seed" > /dev/null 2> "$work/err"
check "missing rule file exits 2" test $? -eq 2
check "missing rule file is named" grep -q "no-such-rules.json" "$work/err"

# A user rule with one drop-line rule removes exactly the lines it matches, and the record's
# metadata counts the hit.
"$winnow" clean -q -f md "$seed" > "$work/plain.md"
"$winnow" clean -q -f md --rules "$testdata/rules/seed-heading.json" "$seed" > "$work/ruled.md"
diff "$work/plain.md" "$work/ruled.md" | grep '^[<>]' > "$work/diff"
# (the paragraph break before the line goes with it: the line ended the article)
check "user rule drops exactly its line" test "$(cat "$work/diff")" = $'< \n< Pipeline Parallel源码分析'

"$winnow" clean -q --rules "$testdata/rules/seed-heading.json" "$seed" > "$work/ruled.jsonl"
check "user rule hit counted in metadata" grep -qF '"rules":{"nav.breadcrumb":1,"site.seed-heading":1,' "$work/ruled.jsonl"
"$winnow" clean -q --rules "$testdata/rules/seed-heading.json" --disable site.seed-heading -f md "$seed" > "$work/off.md"
check "--disable switches a user rule off" cmp -s "$work/plain.md" "$work/off.md"

# --disable of a built-in rule: the breadcrumb stays, as the title.
"$winnow" clean -q -f md --disable nav.breadcrumb "$seed" > "$work/nocrumb.md"
check "--disable nav.breadcrumb keeps the breadcrumb" grep -qxF "# 当前位置: 首页 > news >正文" "$work/nocrumb.md"

# --no-builtin-rules keeps all chrome: every non-blank input line is in the one record.
"$winnow" clean -q -f md --no-builtin-rules "$seed" > "$work/norules.md"
check "--no-builtin-rules gives one record" test "$(grep -c '^# ' "$work/norules.md")" -eq 1
check "--no-builtin-rules keeps every line" test "$(grep -c . "$work/norules.md")" -eq "$(grep -c . "$seed")"
check "--no-builtin-rules keeps the related header" grep -qxF "相关文章:" "$work/norules.md"

# winnow rules: every rule, with where it came from and whether it is on.
"$winnow" rules > "$work/list" 2> "$work/err"
check "rules exits 0" test $? -eq 0
check "rules has a header" test "$(head -n 1 "$work/list" | tr -s ' ')" = "ID SCOPE ACTION ON ORIGIN DESCRIPTION"
check "rules lists every builtin rule" test "$(grep -c ' builtin ' "$work/list")" -eq "$(grep -c '"id":' "$testdata/../src/rules/builtin.json")"
(cd "$testdata/rules" && "$winnow" rules --disable nav.breadcrumb seed-heading.json) > "$work/list"
check "rules shows a user rule's origin" grep -qE '^site\.seed-heading +body +drop-line +yes +seed-heading\.json +Drops the seed' "$work/list"
check "rules shows a disabled rule" grep -qE '^nav\.breadcrumb +any +start-page +no +builtin ' "$work/list"
(cd "$testdata/rules" && "$winnow" rules --json --rules seed-heading.json) > "$work/list.json"
check "rules --json is one JSON array" jq -e 'type == "array"' "$work/list.json" > /dev/null
check "rules --json has the user rule" test "$(jq -c '.[-1] | [.id, .scope, .action, .enabled, .origin, .description]' "$work/list.json")" = \
  '["site.seed-heading","body","drop-line",true,"seed-heading.json","Drops the seed page'"'"'s last heading (a test of user rules)."]'
(cd "$testdata/rules" && "$winnow" rules bad/regex.json) > /dev/null 2> "$work/err"
check "rules with a bad file exits 2" test $? -eq 2
check "rules with a bad file names it" grep -qF "bad/regex.json: rule 'ad.mine': invalid pattern" "$work/err"

# winnow rules --test: the examples of built-in and user rules.
"$winnow" rules --test > "$work/out" 2> "$work/err"
check "builtin examples pass" test $? -eq 0
check "builtin examples report" grep -qE '^winnow: 55 rules, [0-9]+ examples: all passed$' "$work/err"
(cd "$testdata/rules" && "$winnow" rules --test seed-heading.json) > "$work/out" 2> "$work/err"
check "passing user examples exit 0" test $? -eq 0
(cd "$testdata/rules" && "$winnow" rules --test failing-examples.json) > "$work/out" 2> "$work/err"
check "failing examples exit 1" test $? -eq 1
check "failing examples are each reported" test "$(cat "$work/out")" = "failing-examples.json: rule 'site.wrong-examples': match example '广告 今日特价' does not match (match view '广告 今日特价')
failing-examples.json: rule 'site.wrong-examples': keep example '广告:这一行应当保留' matches
failing-examples.json: rule 'site.shadowed': match example '相关文章:' is taken in head by 'tail.related-header' (start-tail)"
check "failing examples summary" grep -qE '^winnow: 57 rules, [0-9]+ examples: 3 failures$' "$work/err"

echo "$passes passed, $failures failed"
[ $failures -eq 0 ]
