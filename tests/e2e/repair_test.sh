#!/usr/bin/env bash
# End-to-end tests of `winnow repair`: the line filter's output, options, exit statuses and
# the summary line. Usage: repair_test.sh WINNOW TESTDATA_DIR JSONL_LINES
set -uo pipefail
winnow=$1
testdata=$2
jsonl_lines=$3
source "$(dirname "${BASH_SOURCE[0]}")/harness.sh"
same() {  # same NAME EXPECTED ACTUAL
  if [ "$2" = "$3" ]; then passes=$((passes + 1)); else
    echo "FAIL: $1"; echo "  expected: $2"; echo "  actual:   $3"; failures=$((failures + 1)); fi
}
repair() { printf '%s\n' "$1" | "$winnow" repair -q "${@:2}"; }

# The scrape policy, occurrence by occurrence.
same "CJK punctuation in every form" "你好，世界，再见，" "$(repair '你好&#xff0c;世界&#XFF0C;再见&#65292;')"
same "surrogate pair" "点赞🔥" "$(repair '点赞&#55357;&#56613;')"
same "lost &" "注意：这里" "$(repair '注意#xff1a;这里')"
same "double escapes" "，< ，" "$(repair '&amp;#xff0c;&amp;lt; &amp;amp;#xff0c;')"
same "URL query stays" "?a=1&copy=2&not=3" "$(repair '?a=1&copy=2&not=3')"
same "unknown name stays" "&current_value;" "$(repair '&current_value;')"
same "code" "import Vue from 'vue'; if (a < b && c)" "$(repair 'import Vue from &#39;vue&#39;; if (a &lt; b &amp;&amp; c)')"
same "about escaping stays" "在 HTML 中 < 要转义为 &lt;，& 要写成 &amp;" "$(repair '在 HTML 中 < 要转义为 &lt;，& 要写成 &amp;')"
same "about escaping, scraper's layer" "字符实体：&lt; 和 &gt; 要转义" "$(repair '字符实体&#xff1a;&amp;lt; 和 &amp;gt; 要转义')"
same "mojibake" "doesn’t café 参数设置" "$(repair 'doesnâ€™t cafÃ© 鍙傛暟璁剧疆')"
same "spaces and controls" "a b c" "$(printf 'a\xc2\xa0b\xe2\x80\x8b \x01c_x000D_\n' | "$winnow" repair -q)"

# The html5lib data-state vectors through the binary, one per line: all but the 5 whose input
# or expected text holds CR or LF (a line filter splits there; html5lib_conformance_test and
# repair_cases_test run those too).
vectors=$testdata/conformance/html5lib-charrefs.jsonl
"$jsonl_lines" "$vectors" input expected > "$work/h5.in" 2> "$work/h5.skipped"
"$jsonl_lines" "$vectors" expected input > "$work/h5.expected" 2> /dev/null
"$winnow" repair -q --entities html5 "$work/h5.in" > "$work/h5.out"
same "html5lib vectors read" "4735 / 5 records skipped" "$(grep -c '' "$work/h5.in") / $(cat "$work/h5.skipped")"
check "html5lib vectors through winnow repair --entities html5" cmp -s "$work/h5.expected" "$work/h5.out"

# Options.
same "--entities none" "&lt; doesn’t" "$(repair '&lt; doesnâ€™t' --entities none)"
same "--entities html5" "?a=1©=2¬=3 #xff1a; ¤t_value;" "$(repair '?a=1&copy=2&not=3 #xff1a; &current_value;' --entities html5)"
same "--no-mojibake" "cafÃ©" "$(repair 'cafÃ©' --no-mojibake)"
same "--width fold" "全角,冒号:" "$(repair '全角，冒号&#xff1a;' --width fold)"
same "--width keep" "半角,冒号:解码，" "$(repair '半角,冒号:解码&#xff0c;' --width keep)"
same "--normalize nfkc" "fi" "$(repair 'ﬁ' --normalize nfkc)"

# Width auto follows the whole file: the decoded comma at the top follows the folded text below.
printf '解码&#xff0c;在前\n作者写的是半角,冒号:括号(如此),逗号,\n' > "$work/folded.txt"
same "width auto follows the whole file" "解码,在前" "$("$winnow" repair -q "$work/folded.txt" | head -n 1)"

# Line structure: every line out, CRLF and a BOM handled by the reader, a last line without LF.
printf '\xef\xbb\xbfone&#xff0c;\r\ntwo\r\n\r\nthree' > "$work/crlf.txt"
"$winnow" repair -q "$work/crlf.txt" > "$work/crlf.out"
same "lines kept" "$(printf 'one，\ntwo\n\nthree\n')" "$(cat "$work/crlf.out")"
check "last line gets LF" test "$(tail -c 1 "$work/crlf.out" | od -An -c | tr -d ' ')" = '\n'

# Idempotence on every test page, through the binary.
for page in "$testdata"/pages/*/input.txt; do
  "$winnow" repair -q "$page" > "$work/once.txt"
  "$winnow" repair -q "$work/once.txt" > "$work/twice.txt"
  check "idempotent on $(basename "$(dirname "$page")")" cmp -s "$work/once.txt" "$work/twice.txt"
done

# Summary, exit statuses, -o, standard input.
printf 'x&lt;\n' | "$winnow" repair > /dev/null 2> "$work/err"
check "summary on stderr" grep -qF "winnow: 1 file, 1 line; repaired: 1 entity, 0 mojibake" "$work/err"
"$winnow" repair "$work/no-such-file.txt" "$work/crlf.txt" > "$work/out" 2> "$work/err"
check "missing file exits 2" test $? -eq 2
check "missing file is named" grep -q "no-such-file.txt: error: No such file or directory" "$work/err"
check "other inputs still repaired" grep -q "three" "$work/out"
"$winnow" repair --entities xml < /dev/null > /dev/null 2>&1
check "bad option value exits 2" test $? -eq 2
"$winnow" repair -q -o "$work/fixed.txt" "$work/crlf.txt"
check "-o writes the file" cmp -s "$work/fixed.txt" "$work/crlf.out"
check "-o leaves no temporary file" test "$(ls "$work" | grep -c tmp)" -eq 0
"$winnow" repair --help > "$work/help" 2>&1
check "help shows examples" grep -q "Examples:" "$work/help"

echo "$passes passed, $failures failed"
[ $failures -eq 0 ]
