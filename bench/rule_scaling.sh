#!/usr/bin/env bash
# How the cost of a run grows with the number of rules (issue 5: 200 extra rules may cost at
# most 30% more time). Runs `winnow clean -q` on a 20 MB corpus with the built-in rules alone
# and with N extra site rules (bench/make_extra_rules.sh), alternating, and reports the best
# and the median wall and CPU (user+sys) time of each and their ratio.
# The corpus is made at bench time by shared/bench/make_corpus.py (never committed); without
# it, the test pages are repeated to the size instead.
# Usage: bench/rule_scaling.sh [EXTRA_RULES] [SIZE_MB] [RUNS]     defaults: 200 20 7
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
extra=${1:-200}
size=${2:-20}
runs=${3:-7}
tools=${SHARED_BENCH:-$root/../shared/bench}
out=$root/bench/out
winnow=${WINNOW:-$root/build/winnow}
mkdir -p "$out"
[ -x "$winnow" ] || { echo "bench: build winnow first (cmake --build build)" >&2; exit 2; }

corpus=$out/corpus-${size}M.txt
if [ ! -f "$corpus" ]; then
  if [ -f "$tools/make_corpus.py" ]; then
    python3 "$tools/make_corpus.py" --seed-file "$tools/../seeds/aggregator-page.txt" \
      --out-dir "$out" --sizes "$size" >&2
  else
    echo "bench: $tools/make_corpus.py not found; repeating testdata/pages instead" >&2
    : > "$corpus"
    while [ "$(stat -c %s "$corpus")" -lt $((size * 1000000)) ]; do
      cat "$root"/testdata/pages/*/input.txt >> "$corpus"
    done
  fi
fi
rules=$out/extra-${extra}.json
"$root/bench/make_extra_rules.sh" "$extra" > "$rules"

# The extra rules change nothing but the time: same output with and without them.
"$winnow" clean -q "$corpus" | md5sum > "$out/base.md5"
"$winnow" clean -q --rules "$rules" "$corpus" | md5sum > "$out/extra.md5"
cmp -s "$out/base.md5" "$out/extra.md5" || { echo "bench: the extra rules changed the output" >&2; exit 1; }

time_run() {  # prints "wall cpu" of one run
  /usr/bin/time -f '%e %U %S' -o "$out/time" "$winnow" clean -q "$@" "$corpus" > /dev/null
  awk '{printf "%.3f %.3f\n", $1, $2 + $3}' "$out/time"
}
: > "$out/base.times"
: > "$out/extra.times"
for ((i = 0; i < runs; i++)); do
  time_run >> "$out/base.times"
  time_run --rules "$rules" >> "$out/extra.times"
done

stats() {  # stats FILE COLUMN: "best median"
  sort -n -k "$2" "$1" | awk -v c="$2" '{v[NR] = $c} END {printf "%.3f %.3f", v[1], v[int((NR + 1) / 2)]}'
}
read -r base_wall_best base_wall_median <<< "$(stats "$out/base.times" 1)"
read -r extra_wall_best extra_wall_median <<< "$(stats "$out/extra.times" 1)"
read -r base_cpu_best base_cpu_median <<< "$(stats "$out/base.times" 2)"
read -r extra_cpu_best extra_cpu_median <<< "$(stats "$out/extra.times" 2)"
builtin_rules=$("$winnow" rules | tail -n +2 | wc -l)
bytes=$(stat -c %s "$corpus")
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "corpus: $corpus ($(awk -v b="$bytes" 'BEGIN{printf "%.1f", b/1e6}') MB), $runs runs each, alternating"
printf '%-28s %10s %10s %10s %10s\n' "rules" "wall best" "wall med" "cpu best" "cpu med"
printf '%-28s %9ss %9ss %9ss %9ss\n' "$builtin_rules built-in" "$base_wall_best" "$base_wall_median" "$base_cpu_best" "$base_cpu_median"
printf '%-28s %9ss %9ss %9ss %9ss\n' "$builtin_rules built-in + $extra extra" "$extra_wall_best" "$extra_wall_median" "$extra_cpu_best" "$extra_cpu_median"
awk -v a="$base_cpu_best" -v b="$extra_cpu_best" -v c="$base_cpu_median" -v d="$extra_cpu_median" \
    -v e="$base_wall_best" -v f="$extra_wall_best" \
  'BEGIN {printf "extra cost: cpu best %+.1f%%, cpu median %+.1f%%, wall best %+.1f%% (budget: +30%%)\n",
          (b / a - 1) * 100, (d / c - 1) * 100, (f / e - 1) * 100}'
