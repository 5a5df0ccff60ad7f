#!/usr/bin/env bash
# End-to-end tests of whole-corpus runs (issue 6): -r over a directory of mixed plain, .gz,
# .zst, GB18030, Big5, UTF-16 and binary files; --files-from; -j N giving the same bytes as
# -j 1; truncated compressed input; --encoding; --binary. Usage: corpus_test.sh WINNOW TESTDATA
set -uo pipefail
winnow=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
testdata=$2
source "$(dirname "${BASH_SOURCE[0]}")/harness.sh"
cd "$testdata" || exit 2

# -r over the mixed corpus: the golden output, every kind of input, the binary file reported.
"$winnow" clean -r -j 1 corpus > "$work/j1.jsonl" 2> "$work/j1.err"
check "-r exits 0" test $? -eq 0
check "-r output is the golden file" cmp -s "$work/j1.jsonl" corpus-golden/expected.jsonl
"$winnow" clean -q -r -f md corpus > "$work/j1.md"
check "-r markdown is the golden file" cmp -s "$work/j1.md" corpus-golden/expected.md
for encoding in UTF-8 GB18030 Big5 UTF-16LE UTF-16BE; do
  check "an article read as $encoding" grep -q "\"encoding\":\"$encoding\"" "$work/j1.jsonl"
done
check "gzip article" grep -q '"source":"corpus/compressed/curl-tips.txt.gz"' "$work/j1.jsonl"
check "zstd article" grep -q '"source":"corpus/compressed/deep/docker-multistage.zst"' "$work/j1.jsonl"
check "Big5 page cleaned like its UTF-8 original" \
  grep -q '"title":"Redis 持久化機制：RDB 與 AOF 該怎麼選"' "$work/j1.jsonl"
check "traditional breadcrumb and related header recognised" \
  grep -q '"nav.breadcrumb":1.*"tail.related-header":1' <(grep Redis "$work/j1.jsonl")
check "binary file reported" grep -q \
  "corpus/binary/program.bin: warning: binary file (NUL bytes or control characters); skipped" \
  "$work/j1.err"
check "binary file counted" grep -q "9 files, .*; 1 binary file skipped" "$work/j1.err"
check "first occurrence in input order wins" \
  test "$(grep -c '"title":"C++11 右值引用与移动语义详解"' "$work/j1.jsonl")" -eq 1
check "the winner is the copy that sorts first" \
  grep -q '"source":"corpus/compressed/deep/zz-cpp-copy.txt.gz".*"title":"C++11' "$work/j1.jsonl"

# -j N: the same bytes on stdout and stderr, whatever N; also with a tiny merge buffer.
for j in 2 3 8; do
  "$winnow" clean -r -j "$j" corpus > "$work/j$j.jsonl" 2> "$work/j$j.err"
  check "-j $j output equals -j 1" cmp -s "$work/j1.jsonl" "$work/j$j.jsonl"
  check "-j $j messages equal -j 1" cmp -s "$work/j1.err" "$work/j$j.err"
done

# A directory without -r is refused, saying so; the other inputs are still cleaned.
"$winnow" clean corpus corpus/plain/seed-megatron.txt > "$work/out" 2> "$work/err"
check "directory without -r exits 2" test $? -eq 2
check "directory without -r says to use -r" \
  grep -q "corpus: error: Is a directory (use -r to clean the files under it)" "$work/err"
check "other inputs still cleaned" test "$(grep -c '' "$work/out")" -eq 1

# --files-from with -0 reads the same inputs as arguments do.
find corpus -type f -print0 | LC_ALL=C sort -z > "$work/list0"
"$winnow" clean -q --files-from - -0 < "$work/list0" > "$work/ff.jsonl"
tr '\0' '\n' < "$work/list0" > "$work/list"
# shellcheck disable=SC2046
"$winnow" clean -q $(cat "$work/list") > "$work/args.jsonl"
check "--files-from - -0 equals the same files as arguments" cmp -s "$work/ff.jsonl" "$work/args.jsonl"
"$winnow" clean -q --files-from "$work/list" > "$work/ffn.jsonl"
check "--files-from FILE (newlines) equals -0" cmp -s "$work/ff.jsonl" "$work/ffn.jsonl"

# A symbolic link loop is reported once and does not stop the walk.
mkdir -p "$work/tree/a/b"
cp corpus/plain/seed-megatron.txt "$work/tree/a/b/page.txt"
ln -s ../../a "$work/tree/a/b/loop"
ln -s a "$work/tree/c"  # a second way in, not a loop: entered once, silently
"$winnow" clean -r "$work/tree" > "$work/loop.jsonl" 2> "$work/loop.err"
check "loop run exits 0" test $? -eq 0
check "loop reported" grep -q "tree/a/b/loop: warning: symbolic link loop" "$work/loop.err"
check "loop reported once" test "$(grep -c "symbolic link loop" "$work/loop.err")" -eq 1
check "page under the loop cleaned once" test "$(grep -c '' "$work/loop.jsonl")" -eq 1

# Compressed standard input; a truncated gzip file is an error naming the file.
"$winnow" clean -q - < corpus/compressed/curl-tips.txt.gz > "$work/stdin.jsonl"
check "gzip on standard input" grep -q '"title":"用 curl' "$work/stdin.jsonl"
head -c 900 corpus/compressed/curl-tips.txt.gz > "$work/cut.txt.gz"
"$winnow" clean "$work/cut.txt.gz" > /dev/null 2> "$work/err"
check "truncated gzip exits 2" test $? -eq 2
check "truncated gzip named" grep -q "cut.txt.gz: error: truncated gzip stream" "$work/err"
head -c 900 corpus/compressed/deep/docker-multistage.zst > "$work/cut.zst"
"$winnow" clean "$work/cut.zst" > /dev/null 2> "$work/err"
check "truncated zstd named" grep -q "cut.zst: error: truncated zstd stream" "$work/err"

# --encoding overrides detection; a wrong name gets a did-you-mean.
"$winnow" clean -q --encoding gb18030 corpus/legacy/linux-cgroup-gb18030.txt > "$work/gb.jsonl"
check "--encoding GB18030" grep -q '"title":"Linux cgroup.*"encoding":"GB18030"' "$work/gb.jsonl"
"$winnow" clean --encoding gb1803 corpus/legacy/linux-cgroup-gb18030.txt > /dev/null 2> "$work/err"
check "unknown encoding exits 2" test $? -eq 2
check "unknown encoding did you mean" grep -q "unknown encoding 'gb1803'; did you mean" "$work/err"

# --binary=text reads a binary file named on the command line, not one found by a walk.
sed 's/^Pipeline Parallel源码分析$/Pipeline Parallel\x00源码分析/' corpus/plain/seed-megatron.txt > "$work/nul.txt"
"$winnow" clean -q "$work/nul.txt" > "$work/nul.jsonl" 2> "$work/err"
check "NUL file skipped by default" test ! -s "$work/nul.jsonl"
"$winnow" clean -q --binary=text "$work/nul.txt" > "$work/nul.jsonl"
check "--binary=text reads a named file" grep -q '"title":"Megatron-LM' "$work/nul.jsonl"
mkdir -p "$work/bin" && cp "$work/nul.txt" "$work/bin/"
"$winnow" clean --binary=text -r "$work/bin" > "$work/nul.jsonl" 2> "$work/err"
check "--binary=text still skips walked files" grep -q "binary file" "$work/err"

echo "corpus_test: $passes passed, $failures failed"
[ "$failures" -eq 0 ]
