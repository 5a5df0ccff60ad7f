#!/usr/bin/env bash
# Hostile input and faults (issue 8): each case has its expected exit status and message, runs
# under a time limit, and where memory matters, a cap on peak RSS.
# Usage: hostile_test.sh WINNOW TESTDATA_DIR
set -uo pipefail
winnow=$1
testdata=$2
seed=$testdata/pages/seed-megatron/input.txt
source "$(dirname "${BASH_SOURCE[0]}")/harness.sh"
# run NAME ARGS...: winnow with a time limit; stdout to $work/out, stderr to $work/err, the
# exit status in $status (124: it hung).
run() {
  timeout 60 "$winnow" "$@" > "$work/out" 2> "$work/err"
  status=$?
}
peak_rss_kb() {  # peak_rss_kb ARGS...: winnow's peak resident memory in KiB, or 0 without GNU time
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f '%M' -o "$work/rss" timeout 60 "$winnow" "$@" > /dev/null 2>&1
    cat "$work/rss"
  else
    echo 0
  fi
}
err_has() { grep -qF -- "$1" "$work/err"; }
seed_text() {  # seed_text FILE: the seed article's text, from winnow's JSONL
  jq -r .text "$1"
}
"$winnow" clean -q "$seed" > "$work/seed.jsonl"
seed_text "$work/seed.jsonl" > "$work/seed.text"

# An empty file: no records, a warning, exit 0.
: > "$work/empty.txt"
run clean "$work/empty.txt"
check "empty: exit 0" test "$status" -eq 0
check "empty: warned" err_has "$work/empty.txt: warning: empty input"
check "empty: no output" test ! -s "$work/out"

# Random binary: skipped with a warning and counted, exit 0.
head -c 200000 /dev/urandom > "$work/random.bin"
run clean "$work/random.bin"
check "binary: exit 0" test "$status" -eq 0
check "binary: warned" err_has "random.bin: warning: binary file"
check "binary: counted" err_has "1 binary file skipped"
check "binary: no output" test ! -s "$work/out"

# NUL bytes inside otherwise text: binary too, unless --binary=text.
{ cat "$seed"; printf 'a\0b\0c\n'; } > "$work/nul.txt"
run clean "$work/nul.txt"
check "NUL: exit 0" test "$status" -eq 0
check "NUL: skipped as binary" err_has "nul.txt: warning: binary file"
run clean --binary=text "$work/nul.txt"
check "NUL --binary=text: exit 0" test "$status" -eq 0
check "NUL --binary=text: article recovered" test "$(jq -rs '.[0].title' "$work/out")" = \
  "Megatron-LM GPT 源码分析(三) Pipeline Parallel分析"

# Invalid UTF-8 split across the reader's 64 KiB chunks: U+FFFD, counted, first offset named.
{ printf '当前位置: 首页 > news >正文\n\n标题\n\n'; head -c 65500 /dev/zero | tr '\0' 'x'
  printf 'ab\xe5\xbd\xffcd\n'; } > "$work/split.txt"
run clean -j 1 "$work/split.txt"
check "split UTF-8: exit 0" test "$status" -eq 0
check "split UTF-8: reported with its offset" \
  err_has "split.txt:5: byte 65547: warning: invalid UTF-8; 2 sequences replaced with U+FFFD"
check "split UTF-8: replaced, nothing else lost" grep -qF 'ab��cd' "$work/out"

# A 100 MB line: cut at --max-line-bytes with a warning; its article passes the record cap
# and is dropped as oversized; memory stays bounded.
{ printf '当前位置: 首页 > news >正文\n\n标题\n\n'; head -c 100000000 /dev/zero | tr '\0' 'a'
  printf '\n'; } > "$work/long.txt"
run clean "$work/long.txt"
check "100 MB line: exit 0" test "$status" -eq 0
check "100 MB line: cut with a warning" err_has "1 overlong line cut at 1048576 bytes (95 cuts)"
check "100 MB line: dropped as oversized" err_has "1 oversized record"
rss=$(peak_rss_kb clean -q "$work/long.txt")
check "100 MB line: peak RSS under 200 MiB (was $rss KiB)" test "$rss" -lt 204800
rm -f "$work/long.txt"

# &amp; nested 100,000 deep, and a 100,000-digit numeric reference: decoded in one pass.
{ printf '当前位置: 首页 > news >正文\n\n标题\n\n开头 &'
  for _ in $(seq 1000); do printf 'amp;amp;amp;amp;amp;amp;amp;amp;amp;amp;'; done
  for _ in $(seq 9); do printf 'amp;amp;amp;amp;amp;amp;amp;amp;amp;amp;'; done
  printf 'lt; 结束\n\n数字 &#'; head -c 100000 /dev/zero | tr '\0' '9'; printf '; 完\n'; } \
  > "$work/deep.txt"
run clean "$work/deep.txt"
check "deep nesting: exit 0" test "$status" -eq 0
check "deep nesting: decoded all the way" test "$(jq -r .text "$work/out" | head -n 1)" = "开头 < 结束"
check "100,000 digits: U+FFFD" test "$(jq -r .text "$work/out" | tail -n 1)" = "数字 � 完"

# The seed page from its UTF-16 (with BOM), GB18030 and CRLF+BOM forms: the same article.
{ printf '\xff\xfe'; iconv -f UTF-8 -t UTF-16LE "$seed"; } > "$work/seed-utf16.txt"
iconv -f UTF-8 -t GB18030 "$seed" > "$work/seed-gb18030.txt"
{ printf '\xef\xbb\xbf'; sed 's/$/\r/' "$seed"; } > "$work/seed-crlf.txt"
for form in utf16 gb18030 crlf; do
  run clean "$work/seed-$form.txt"
  check "$form: exit 0" test "$status" -eq 0
  seed_text "$work/out" > "$work/$form.text"
  check "$form: the seed article recovered" cmp -s "$work/$form.text" "$work/seed.text"
done
check "utf16: encoding recorded" test "$(jq -r .metadata.encoding "$work/out")" = "UTF-8"
run clean "$work/seed-gb18030.txt"
check "gb18030: encoding recorded" test "$(jq -r .metadata.encoding "$work/out")" = "GB18030"

# A truncated gzip file: exit 2, named, the cause said.
gzip -c "$seed" | head -c 600 > "$work/truncated.txt.gz"
run clean "$work/truncated.txt.gz" "$seed"
check "truncated gzip: exit 2" test "$status" -eq 2
check "truncated gzip: named with its cause" err_has "truncated.txt.gz: error: truncated gzip stream"
check "truncated gzip: the other input still cleaned" test "$(grep -c '' "$work/out")" -eq 1

# A directory with a symbolic link loop: reported once, the rest cleaned.
mkdir -p "$work/loop/a"
ln -s .. "$work/loop/a/up"
cp "$seed" "$work/loop/a/page.txt"
run clean -r "$work/loop"
check "symlink loop: exit 0" test "$status" -eq 0
check "symlink loop: reported once" test "$(grep -c 'symbolic link loop' "$work/err")" -eq 1
check "symlink loop: the page cleaned" test "$(grep -c '' "$work/out")" -eq 1

# An unreadable input: reading /proc/self/mem fails with EIO even for root.
run clean /proc/self/mem "$seed"
check "unreadable: exit 2" test "$status" -eq 2
check "unreadable: named with its cause" err_has "/proc/self/mem: error: Input/output error"
if [ "$(id -u)" -ne 0 ]; then
  cp "$seed" "$work/secret.txt"
  chmod 000 "$work/secret.txt"
  run clean "$work/secret.txt"
  check "no permission: exit 2" test "$status" -eq 2
  check "no permission: named" err_has "secret.txt: error: Permission denied"
fi

# A full disk: exit 2 with the cause, and no partial -o file.
if [ -w /dev/full ]; then
  run clean "$seed" -o /dev/full
  check "full disk: exit 2" test "$status" -eq 2
  check "full disk: the cause" err_has "No space left on device"
  timeout 60 "$winnow" clean -q "$seed" > /dev/full 2> "$work/err"
  check "full stdout: exit 2" test $? -eq 2
fi

# A big input for the next two cases.
for _ in $(seq 400); do cat "$seed"; done > "$work/big.txt"

# A closed pipe: exits 0, quietly.
timeout 60 "$winnow" clean --keep-teasers --keep-duplicates "$work/big.txt" 2> "$work/err" |
  head -n 1 > /dev/null
check "closed pipe: exit 0" test "${PIPESTATUS[0]}" -eq 0
check "closed pipe: nothing said" test ! -s "$work/err"

# SIGINT during a run that writes -o: exit 130, no half-written file left behind. The input
# (450 MB, mostly repeats) takes seconds to clean, so the run is still going at the signal.
for _ in $(seq 100); do cat "$work/big.txt"; done > "$work/bigger.txt"
mkdir -p "$work/out-dir"
"$winnow" clean -q --keep-teasers -o "$work/out-dir/corpus.jsonl" "$work/bigger.txt" \
  2> "$work/err" &
pid=$!
sleep 0.5
kill -INT "$pid"
wait "$pid"
status=$?
check "SIGINT: exit 130 (was $status)" test "$status" -eq 130
check "SIGINT: no output file" test -z "$(ls -A "$work/out-dir")"
check "SIGINT: said so" err_has "winnow: error: interrupted"

# SIGINT while winnow waits on its input (a pipe that stays open): the temporary file goes,
# and the run stops at once with 130, at one thread and at two (where another thread reads).
for jobs in 1 2; do
  mkdir -p "$work/wait-dir"
  { cat "$work/big.txt"; sleep 37; } | "$winnow" clean -q -j "$jobs" \
    -o "$work/wait-dir/corpus.jsonl" - 2> "$work/err" &
  pid=$!
  sleep 1
  pkill -INT -P $$ -x winnow
  started=$(date +%s%N)
  # `wait` would wait for the whole pipeline, sleep included: watch winnow itself.
  while kill -0 "$pid" 2> /dev/null && [ $(( $(date +%s%N) - started )) -lt 10000000000 ]; do
    sleep 0.05
  done
  waited_ms=$(( ($(date +%s%N) - started) / 1000000 ))
  pkill -f '^sleep 37$' || true
  wait "$pid"
  status=$?
  check "SIGINT while waiting (-j $jobs): exit 130 (was $status)" test "$status" -eq 130
  check "SIGINT while waiting (-j $jobs): stopped in ${waited_ms} ms, not at the input's end" \
    test "$waited_ms" -lt 3000
  check "SIGINT while waiting (-j $jobs): nothing left" test -z "$(ls -A "$work/wait-dir")"
done

echo "hostile: $passes passed, $failures failed"
[ "$failures" -eq 0 ]
