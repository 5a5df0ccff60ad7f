#!/usr/bin/env bash
# End-to-end tests of scale-out (issue 6): the README's GNU parallel recipe (--shard K/N jobs
# merged by winnow dedup) equals one run; a Slurm array's shards likewise; -o DIR/; --stats;
# no progress line when stderr is not a terminal. Usage: shard_test.sh WINNOW TESTDATA_DIR
set -uo pipefail
winnow=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
testdata=$2
source "$(dirname "${BASH_SOURCE[0]}")/harness.sh"
cd "$testdata" || exit 2
export PATH="$(dirname "$winnow"):$PATH"

winnow clean -q -r corpus > "$work/single.jsonl"

# The README's GNU parallel recipe, as written there (GNU parallel is in scripts/setup's list;
# without it the same jobs run through xargs -P, and the test says so).
if command -v parallel > /dev/null; then
  parallel --will-cite -j 4 'winnow clean -q -r --shard {}/4 corpus > '"$work"'/shard-{}.jsonl' \
    ::: 1 2 3 4
else
  echo "shard_test: GNU parallel not installed; running the jobs with xargs -P instead"
  printf '%s\n' 1 2 3 4 |
    xargs -P 4 -I{} sh -c 'winnow clean -q -r --shard {}/4 corpus > '"$work"'/shard-{}.jsonl'
fi
winnow dedup -q "$work"/shard-*.jsonl > "$work/merged.jsonl"
check "parallel shards merged equal one run" cmp -s "$work/single.jsonl" "$work/merged.jsonl"
check "shards are not all empty or all full" \
  test "$(cat "$work"/shard-*.jsonl | grep -c '')" -gt "$(grep -c '' "$work/shard-1.jsonl")"

# Every input falls in exactly one shard: the sources of all shards, with --keep-duplicates,
# are the sources of one run.
for k in 1 2 3; do
  winnow clean -q -r --keep-duplicates --shard "$k/3" corpus > "$work/kd-$k.jsonl"
done
winnow clean -q -r --keep-duplicates corpus > "$work/kd.jsonl"
check "shards cover each input once" cmp -s \
  <(jq -r .source "$work"/kd-*.jsonl | sort) <(jq -r .source "$work/kd.jsonl" | sort)

# A Slurm job array runs the same command with SLURM_ARRAY_TASK_ID=1..N.
for id in 1 2; do
  SLURM_ARRAY_TASK_ID=$id bash -c \
    'winnow clean -q -r --shard "$SLURM_ARRAY_TASK_ID/2" corpus > "'"$work"'/slurm-$SLURM_ARRAY_TASK_ID.jsonl"'
done
winnow dedup -q -o "$work/slurm.jsonl" "$work"/slurm-*.jsonl
check "slurm-style shards merged equal one run" cmp -s "$work/single.jsonl" "$work/slurm.jsonl"

# Bad shard specifications and bad dedup input are refused with a message.
winnow clean --shard 5/4 corpus > /dev/null 2> "$work/err"
check "shard K > N exits 2" test $? -eq 2
check "shard K > N explained" grep -q "shard must be K/N with 1 <= K <= N" "$work/err"
printf '{"not":"a record"}\n' > "$work/bad.jsonl"
winnow dedup "$work/bad.jsonl" > /dev/null 2> "$work/err"
check "dedup of a non-record exits 2" test $? -eq 2
check "dedup names the line" grep -q "bad.jsonl:1: error: not a record of winnow clean's JSONL output" "$work/err"
cat "$work/single.jsonl" "$work/single.jsonl" | winnow dedup > "$work/twice.jsonl" 2> "$work/err"
check "dedup drops repeats" cmp -s "$work/single.jsonl" "$work/twice.jsonl"
check "dedup summary" grep -q "winnow: 16 records: 8 kept, 8 duplicates" "$work/err"

# -o DIR/: one file per article, safe names, no temporary files left.
winnow clean -q -r -f md -o "$work/articles/" corpus
check "-o DIR/ writes one file per article" test "$(ls "$work/articles" | grep -c '\.md$')" -eq 8
check "-o DIR/ names are <id>-<slug>.md" test -f \
  "$work/articles/9c063e3df91d3504-Redis-持久化機制-RDB-與-AOF-該怎麼選.md"
check "-o DIR/ leaves no temporary file" test "$(ls "$work/articles" | grep -c tmp)" -eq 0
winnow clean -q -r -o "$work/articles" corpus  # an existing directory, JSON files
check "-o existing dir writes .json" test "$(ls "$work/articles" | grep -c '\.json$')" -eq 8
check "each .json holds one record" jq -e .title "$work/articles/9c063e3df91d3504-"*.json > /dev/null
mkdir -p "$work/slashes"
printf '当前位置：首页 > 测试\n\n../../etc/passwd\x01 标题/斜杠\n\n正文一段，足够长的一段正文。\n' \
  > "$work/slashes/page.txt"
winnow clean -q -o "$work/slash-out/" "$work/slashes/page.txt"
check "title with / and .. stays inside DIR" \
  test "$(find "$work/slash-out" -type f | grep -c '/slash-out/[0-9a-f]\{16\}-etc-passwd-标题-斜杠\.json$')" -eq 1

# --stats FILE: a JSON summary.
winnow clean -q -r --stats "$work/stats.json" corpus > /dev/null
check "--stats counts files" test "$(jq .files.read "$work/stats.json")" -eq 9
check "--stats counts binary files" test "$(jq .files.binary "$work/stats.json")" -eq 1
check "--stats records by fate" test "$(jq .records.dropped.duplicate "$work/stats.json")" -eq 9
check "--stats encodings" test "$(jq '.encodings.Big5' "$work/stats.json")" -eq 1
check "--stats rule hits" test "$(jq '.rule_hits["nav.breadcrumb"]' "$work/stats.json")" -ge 8
check "--stats elapsed" jq -e '.elapsed_seconds >= 0' "$work/stats.json" > /dev/null

# No progress line when standard error is not a terminal.
winnow clean -r corpus > /dev/null 2> "$work/err"
check "no progress line on a pipe" test "$(tr -cd '\r' < "$work/err" | wc -c)" -eq 0

# On a terminal (script(1) gives one), a progress line redrawn with '\r' and cleared at the
# end; none with -q.
# (skipped where no pseudo-terminal can be had, e.g. a chroot without /dev/pts)
if command -v script > /dev/null && script -qec true /dev/null > /dev/null 2>&1; then
  mkdir -p "$work/many"
  for i in $(seq 1 30); do cp corpus/plain/seed-megatron.txt "$work/many/page-$i.txt"; done
  script -qec "winnow clean -j 1 -r '$work/many' > /dev/null" /dev/null > "$work/tty" 2>&1
  check "progress line on a terminal" grep -q "files, .* MB, .* MB/s" <(tr '\r' '\n' < "$work/tty")
  check "progress line cleared before the summary" \
    grep -q $'\r\x1b\[Kwinnow: 30 files' "$work/tty"
  script -qec "winnow clean -q -j 1 -r '$work/many' > /dev/null" /dev/null > "$work/tty" 2>&1
  check "no progress line with -q" test ! -s "$work/tty"
fi

echo "shard_test: $passes passed, $failures failed"
[ "$failures" -eq 0 ]
