#!/usr/bin/env bash
# End-to-end tests of the command line's contract: exit statuses, messages, stdin, formats,
# -o, and the seed page's must-shows. Usage: cli_test.sh WINNOW TESTDATA_DIR
set -uo pipefail
winnow=$1
testdata=$2
seed=$testdata/pages/seed-megatron/input.txt
source "$(dirname "${BASH_SOURCE[0]}")/harness.sh"

# A missing file: a message naming it, exit 2, and the other inputs are still cleaned.
"$winnow" clean "$work/no-such-file.txt" "$seed" > "$work/out.jsonl" 2> "$work/err"
check "missing file exits 2" test $? -eq 2
check "missing file is named" grep -q "no-such-file.txt: error: No such file or directory" "$work/err"
check "other inputs still cleaned" test "$(grep -c '' "$work/out.jsonl")" -eq 1

# A directory is refused with its cause.
"$winnow" clean "$testdata" > /dev/null 2> "$work/err"
check "directory exits 2" test $? -eq 2
check "directory error names cause" grep -q "Is a directory" "$work/err"

# Usage errors exit 2.
"$winnow" clean --format xml "$seed" > /dev/null 2>&1
check "bad option value exits 2" test $? -eq 2
"$winnow" frobnicate > /dev/null 2>&1
check "unknown subcommand exits 2" test $? -eq 2
"$winnow" clean --help > "$work/help" 2>&1
check "help exits 0" test $? -eq 0
check "help shows examples" grep -q "Examples:" "$work/help"

# The seed page: one record, its title, summary line on stderr.
"$winnow" clean "$seed" > "$work/seed.jsonl" 2> "$work/err"
check "seed exits 0" test $? -eq 0
check "seed gives one record" test "$(grep -c '' "$work/seed.jsonl")" -eq 1
check "seed title" grep -qF '"title":"Megatron-LM GPT 源码分析(三) Pipeline Parallel分析"' "$work/seed.jsonl"
check "seed text starts with 引言" grep -qF '"text":"引言\n' "$work/seed.jsonl"
check "seed text ends with the last heading" grep -qF 'Pipeline Parallel源码分析","truncated":false' "$work/seed.jsonl"
check "summary line" grep -qF "winnow: 1 file, 31 records: 1 emitted, 29 truncated teasers, 1 duplicate" "$work/err"

# -q silences the summary.
"$winnow" clean -q "$seed" > /dev/null 2> "$work/err"
check "quiet is quiet" test ! -s "$work/err"

# Standard input gives the same article, both as '-' and with no path.
(cd "$(dirname "$seed")" && "$winnow" clean -q input.txt) > "$work/file.jsonl"
"$winnow" clean -q - < "$seed" | sed 's/"source":"-"/"source":"input.txt"/' > "$work/stdin.jsonl"
"$winnow" clean -q < "$seed" | sed 's/"source":"-"/"source":"input.txt"/' > "$work/stdin2.jsonl"
check "stdin '-' equals file (apart from id and source)" \
  test "$(sed 's/"id":"[0-9a-f]*"//' "$work/file.jsonl")" = "$(sed 's/"id":"[0-9a-f]*"//' "$work/stdin.jsonl")"
check "no path reads stdin" cmp -s "$work/stdin.jsonl" "$work/stdin2.jsonl"

# --keep-teasers: 29 more records, all truncated; the first entry is still a duplicate.
"$winnow" clean -q --keep-teasers "$seed" > "$work/teasers.jsonl"
check "keep-teasers gives 30 records" test "$(grep -c '' "$work/teasers.jsonl")" -eq 30
check "29 truncated" test "$(grep -c '"truncated":true' "$work/teasers.jsonl")" -eq 29
check "no teaser marker left" test "$(grep -c '…\.\.\.' "$work/teasers.jsonl")" -eq 0

# Markdown starts with the title; JSON is one array.
"$winnow" clean -q -f md "$seed" > "$work/seed.md"
check "md starts with title" test "$(head -c 17 "$work/seed.md")" = "# Megatron-LM GPT"
"$winnow" clean -q -f json "$seed" > "$work/seed.json"
check "json is an array" test "$(head -c 1 "$work/seed.json")" = "["
check "json ends the array" test "$(tail -n 1 "$work/seed.json")" = "]"

# -o writes through a temporary file and leaves nothing else behind.
mkdir "$work/out"
"$winnow" clean -q -o "$work/out/seed.jsonl" "$seed"
check "-o exits 0" test $? -eq 0
check "-o wrote the records" cmp -s "$work/out/seed.jsonl" "$work/seed.jsonl"
check "-o leaves no temporary file" test "$(ls "$work/out" | wc -l)" -eq 1
"$winnow" clean -q -o "$work/no-such-dir/x.jsonl" "$seed" 2> "$work/err"
check "unwritable -o exits 2" test $? -eq 2
check "unwritable -o names the file" grep -q "no-such-dir/x.jsonl" "$work/err"

# A closed pipe is not an error.
for i in $(seq 1 300); do cat "$seed"; done > "$work/big.txt"
"$winnow" clean -q --keep-teasers "$work/big.txt" | head -n 1 > /dev/null
check "closed pipe exits 0" test "${PIPESTATUS[0]}" -eq 0

# Writing to a full disk fails with the cause.
if [ -w /dev/full ]; then
  "$winnow" clean -q "$seed" > /dev/full 2> "$work/err"
  check "full disk exits 2" test $? -eq 2
  check "full disk names the cause" grep -q "No space left on device" "$work/err"
  # -o onto a device writes to it in place and never replaces the device node.
  "$winnow" clean -q -o /dev/full "$seed" 2> "$work/err"
  check "-o full disk exits 2" test $? -eq 2
  check "-o full disk names the cause" grep -q "/dev/full: error: No space left on device" "$work/err"
  check "-o leaves the device a device" test -c /dev/full
fi

# An empty input is fine and gives nothing.
: > "$work/empty.txt"
"$winnow" clean "$work/empty.txt" > "$work/out.jsonl" 2> "$work/err"
check "empty input exits 0" test $? -eq 0
check "empty input gives no records" test ! -s "$work/out.jsonl"
check "empty input summary" grep -qF "winnow: 1 file, 0 records: 0 emitted" "$work/err"
check "empty input is named" grep -qF "winnow: $work/empty.txt: warning: empty input" "$work/err"

# Invalid UTF-8 is replaced, counted and reported with its byte offset.
printf '当前位置: 首页 > news >正文\n\n标题\n\n正文\xff一段\n' > "$work/bad.txt"
"$winnow" clean "$work/bad.txt" > "$work/out.jsonl" 2> "$work/err"
check "invalid utf-8 exits 0" test $? -eq 0
check "invalid utf-8 reported with offset" grep -qF "bad.txt:5: byte 51: warning: invalid UTF-8" "$work/err"
check "invalid utf-8 replaced" grep -qF "正文�一段" "$work/out.jsonl"

echo "$passes passed, $failures failed"
[ $failures -eq 0 ]
