#!/usr/bin/env bash
# Whole-run benchmark: makes a corpus of scraped pages with shared/bench/make_corpus.py and
# reports winnow clean's throughput (MB/s) and peak RSS (/usr/bin/time -v), beside the Python
# standard-library pipeline shared/bench/py_pipeline.py on the same file.
# Usage: bench/run_bench.sh [SIZES_MB]     e.g. bench/run_bench.sh 100,1000
# Needs python3 and GNU time (apt-get install time); SHARED_BENCH overrides where the
# corpus tools live (default: ../shared/bench beside the repository).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
sizes=${1:-100,1000}
tools=${SHARED_BENCH:-$root/../shared/bench}
out=$root/bench/out
mkdir -p "$out"
"$root/scripts/setup" "$root/build" > /dev/null
command -v /usr/bin/time > /dev/null || { echo "bench: needs GNU time: apt-get install time" >&2; exit 2; }

for s in ${sizes//,/ }; do
  [ -f "$out/corpus-${s}M.txt" ] || python3 "$tools/make_corpus.py" \
      --seed-file "$tools/../seeds/aggregator-page.txt" --out-dir "$out" --sizes "$sizes" >&2
done

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "winnow: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
measure() {  # measure LABEL FILE COMMAND...: prints MB/s and peak RSS
  local label=$1 file=$2; shift 2
  local bytes log
  bytes=$(stat -c %s "$file")
  log=$(mktemp)
  /usr/bin/time -v "$@" < "$file" > /dev/null 2> "$log"
  local seconds rss
  seconds=$(awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]; print s}' "$log")
  rss=$(awk -F': ' '/Maximum resident set size/{print $2}' "$log")
  awk -v l="$label" -v b="$bytes" -v s="$seconds" -v r="$rss" \
      'BEGIN{printf "%-34s %8.1f MB  %7.2f s  %8.1f MB/s  peak RSS %7.1f MiB\n", l, b/1e6, s, b/1e6/s, r/1024}'
  rm -f "$log"
}
for s in ${sizes//,/ }; do
  corpus=$out/corpus-${s}M.txt
  measure "winnow clean -q (${s}M)" "$corpus" "$root/build/winnow" clean -q -
  if [ "$s" -le 200 ]; then
    measure "py_pipeline.py nfc (${s}M)" "$corpus" python3 "$tools/py_pipeline.py" nfc
  fi
done
