#!/usr/bin/env bash
# The repair stage beside Python's html.unescape on the same texts (about 4 MB each): the seed
# page repeated, the same without any `&` or `#`, and an entity-dense line repeated (the texts
# of bench/repair_benchmark.cc). Prints MB/s for build/bench/repair_benchmark's stage
# benchmarks, for the whole `winnow repair` command (read, repair, write) and for
# html.unescape (in memory, whole text at once); best of 5 runs each.
# Usage: bench/repair_bench.sh [BUILD_DIR]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$root/build}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
seed=$root/testdata/pages/seed-megatron/input.txt
: > "$work/seed.txt"
while [ "$(stat -c %s "$work/seed.txt")" -lt 4194304 ]; do cat "$seed" >> "$work/seed.txt"; done
tr -d '&#' < "$work/seed.txt" > "$work/no_entities.txt"
dense='本文介绍了&#xff0c;如何使用&#xff1a;参数&#xff08;可选&#xff09;&amp;lt;T&amp;gt;&#x1f525;点赞&#39;收藏&quot;注意#xff1a;这里&nbsp;结束&#12290;'
: > "$work/entity_dense.txt"
while [ "$(stat -c %s "$work/entity_dense.txt")" -lt 4194304 ]; do
  for i in $(seq 1 1000); do printf '%s\n' "$dense"; done >> "$work/entity_dense.txt"
done

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
"$build/bench/repair_benchmark" --benchmark_min_time=1 2>/dev/null | grep '^BM_' |
  awk '{for (i = 1; i <= NF; i++) if ($i ~ /bytes_per_second/) {split($i, v, "="); print "stage  " $1 ": " v[2]}}'
for name in seed no_entities entity_dense; do
  file=$work/$name.txt
  bytes=$(stat -c %s "$file")
  best=
  for run in 1 2 3 4 5; do
    start=$(date +%s%N)
    "$build/winnow" repair -q "$file" > /dev/null
    took=$(( $(date +%s%N) - start ))
    if [ -z "$best" ] || [ "$took" -lt "$best" ]; then best=$took; fi
  done
  awk -v n="$name" -v b="$bytes" -v ns="$best" \
      'BEGIN{printf "winnow repair (whole command) %-13s %7.1f MB/s\n", n, b/1e6/(ns/1e9)}'
  python3 - "$file" "$name" <<'PY'
import html, sys, time
text = open(sys.argv[1], encoding="utf-8").read()
best = min((lambda t0: (html.unescape(text), time.perf_counter() - t0)[1])(time.perf_counter())
           for _ in range(5))
print(f"python3 html.unescape          {sys.argv[2]:<13} {len(text.encode()) / 1e6 / best:7.1f} MB/s")
PY
done
