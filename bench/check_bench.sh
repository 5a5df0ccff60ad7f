#!/usr/bin/env bash
# `winnow check` beside `winnow clean` on the same input. Runs each command TRIALS times,
# alternating, and reports the fastest wall and CPU (user+sys) time of each, so a busy
# machine's noise shows up as spread, not as a wrong winner:
#   clean -q          the raw corpus -> JSONL (discarded)
#   check raw         the same raw corpus, every page through the splitter and the detectors
#   check jsonl       clean's own output of that corpus (a clean corpus: what CI checks)
# Usage: bench/check_bench.sh [CORPUS] [TRIALS]
# Without CORPUS, bench/out/corpus-100M.txt from bench/run_bench.sh is used (made with
# shared/bench/make_corpus.py when missing).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
corpus=${1:-$root/bench/out/corpus-100M.txt}
trials=${2:-5}
winnow=$root/build/winnow
tools=${SHARED_BENCH:-$root/../shared/bench}
if [ ! -f "$corpus" ]; then
  mkdir -p "$(dirname "$corpus")"
  python3 "$tools/make_corpus.py" --seed-file "$tools/../seeds/aggregator-page.txt" \
      --out-dir "$(dirname "$corpus")" --sizes 100 >&2
fi
command -v /usr/bin/time > /dev/null || { echo "bench: needs GNU time: apt-get install time" >&2; exit 2; }
[ -x "$winnow" ] || { echo "bench: build winnow first (cmake --build build)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$winnow" clean -q "$corpus" > "$work/clean.jsonl"

run() {  # run NAME INPUT COMMAND...: one timed run, appended to $work/NAME
  local name=$1 input=$2; shift 2
  /usr/bin/time -f "%e %U %S %M" -o "$work/t" "$@" < "$input" > /dev/null 2>&1 || true
  grep -v "exited" "$work/t" >> "$work/$name"  # GNU time notes a non-zero status first
}
for _ in $(seq "$trials"); do
  run clean "$corpus" "$winnow" clean -q -
  run check-raw "$corpus" "$winnow" check -q --input-format raw -
  run check-jsonl "$work/clean.jsonl" "$winnow" check -q --input-format jsonl -
done

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "winnow: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown), $trials trials each, best of"
report() {  # report NAME INPUT LABEL
  local bytes
  bytes=$(stat -c %s "$2")
  awk -v l="$3" -v b="$bytes" '
    { w = $1; c = $2 + $3; if (NR == 1 || w < bw) bw = w; if (NR == 1 || c < bc) bc = c;
      if (NR == 1 || w > ww) ww = w; if ($4 > rss) rss = $4 }
    END { printf "%-40s %7.1f MB  wall %6.2f s (worst %6.2f)  cpu %6.2f s  %7.1f MB/s  peak RSS %6.1f MiB\n",
                 l, b / 1e6, bw, ww, bc, b / 1e6 / bc, rss / 1024 }' "$work/$1"
}
report clean "$corpus" "winnow clean -q (raw corpus)"
report check-raw "$corpus" "winnow check --input-format raw (same)"
report check-jsonl "$work/clean.jsonl" "winnow check (clean's JSONL of it)"
