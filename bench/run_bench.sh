#!/usr/bin/env bash
# Whole-run benchmark: makes a corpus of scraped pages with shared/bench/make_corpus.py and
# reports, in one run, winnow clean's throughput (MB/s) and peak RSS (/usr/bin/time -v) beside
# the Python standard-library pipeline shared/bench/py_pipeline.py on the same file, -j 1
# against -j 2 (on the single file, and on the same bytes split into 16 files), and peak RSS
# on 20 MB and (with 1000 in SIZES) on 1 GB with -j 2 beside it, the start-up a run pays, and
# how much any two-thread run can gain on this machine (two independent -j 1 runs at once).
# Each figure is the median of REPEAT runs (3).
# Usage: bench/run_bench.sh [SIZES_MB]     e.g. bench/run_bench.sh 100   or   100,1000
# Needs python3 and GNU time (apt-get install time); SHARED_BENCH overrides where the
# corpus tools live (default: ../shared/bench beside the repository). Not a test: it reads
# ../shared at bench time.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
sizes=${1:-100}
tools=${SHARED_BENCH:-$root/../shared/bench}
out=$root/bench/out
mkdir -p "$out"
"$root/scripts/setup" "$root/build" > /dev/null
command -v /usr/bin/time > /dev/null || { echo "bench: needs GNU time: apt-get install time" >&2; exit 2; }
winnow=$root/build/winnow

for s in ${sizes//,/ }; do
  [ -f "$out/corpus-${s}M.txt" ] || python3 "$tools/make_corpus.py" \
      --seed-file "$root/testdata/pages/seed-megatron/input.txt" --out-dir "$out" \
      --sizes "$sizes" >&2
done

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "winnow: $(git -C "$root" describe --always --dirty --abbrev=7 2>/dev/null || echo unknown)"
# Each measurement runs its command REPEAT times (default 3) and reports the run of median wall
# time: on a shared VM single runs vary by a fifth or more from one minute to the next.
repeat=${REPEAT:-3}
runs_dir=$(mktemp -d)
trap 'rm -rf "$runs_dir"' EXIT
# Wall time from bash's clock in microseconds: GNU time gives it in steps of 10 ms, which
# against a -j 2 run of 0.27 s moves the -j 2 / -j 1 ratio by 0.07.
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.4f\n", b - a}'; }  # elapsed START END
run_once() {  # run_once KEY COMMAND...: one timed run, its wall time, CPU time and peak RSS kept under KEY
  local key=$1 start end; shift
  start=$EPOCHREALTIME
  /usr/bin/time -v "$@" > /dev/null 2> "$runs_dir/log"
  end=$EPOCHREALTIME
  awk -F': ' -v w="$(elapsed "$start" "$end")" '/Maximum resident set size/{r=$2}
      /User time|System time/{c+=$2} END{print w, c, r}' "$runs_dir/log" >> "$runs_dir/$key"
}
report() {  # report LABEL KEY BYTES: the median run of KEY as MB/s, CPU time and peak RSS
  local label=$1 runs=$runs_dir/$2 bytes=$3
  local count seconds cpu rss all
  count=$(wc -l < "$runs")
  read -r seconds cpu rss < <(sort -n "$runs" | awk -v m=$(((count + 1) / 2)) 'NR==m')
  all=$(sort -n "$runs" | awk '{printf "%s%.3f", (NR>1?"/":""), $1}')
  awk -v l="$label" -v b="$bytes" -v s="$seconds" -v r="$rss" -v c="$cpu" -v a="$all" \
      'BEGIN{printf "%-44s %7.1f MB %7.3f s %7.1f MB/s  cpu %6.2f s  peak RSS %6.1f MiB  (runs %s s)\n", l, b/1e6, s, b/1e6/s, c, r/1024, a}'
  last_seconds=$seconds
}
measure() {  # measure LABEL BYTES COMMAND...: REPEAT runs in a row, reported
  local label=$1 bytes=$2; shift 2
  rm -f "$runs_dir/m"
  for ((k = 0; k < repeat; ++k)); do run_once m "$@"; done
  report "$label" m "$bytes"
}
# How much two threads can gain on this machine at best: in rounds, one `-j 1` run alone and
# two independent `-j 1` runs at once on the same file. Two runs at once finish in about the
# time of one on an idle 2-core machine; on a shared VM (or two vCPUs that are one core's
# hyperthreads) they take longer, and `-j 2` can be at most 2 x alone / together times `-j 1`.
two_run_ceiling() {
  local file=$1 alone together start end
  rm -f "$runs_dir/alone" "$runs_dir/together"
  for ((k = 0; k < repeat; ++k)); do
    start=$EPOCHREALTIME
    "$winnow" clean -q -j 1 "$file" > /dev/null
    end=$EPOCHREALTIME
    elapsed "$start" "$end" >> "$runs_dir/alone"
    start=$EPOCHREALTIME  # both runs are done after the wait: the slower one's time
    "$winnow" clean -q -j 1 "$file" > /dev/null &
    "$winnow" clean -q -j 1 "$file" > /dev/null
    wait
    end=$EPOCHREALTIME
    elapsed "$start" "$end" >> "$runs_dir/together"
  done
  alone=$(sort -n "$runs_dir/alone" | awk -v m=$(((repeat + 1) / 2)) 'NR==m')
  together=$(sort -n "$runs_dir/together" | awk -v m=$(((repeat + 1) / 2)) 'NR==m')
  awk -v a="$alone" -v t="$together" 'BEGIN{printf "two -j 1 runs at once: %.3f s, one alone: %.3f s (medians): -j 2 can be at most %.2f times -j 1 here\n", t, a, 2*a/t}'
}

# The fixed cost of a run, which a -j 2 run pays on a core's share of the work: a run on an
# empty file (process start, rules compiled, the stages' tables; at -j 2 a second engine for the
# second thread, compiled beside the first). Medians of 11 runs each, in rounds.
startup_cost() {
  local empty=$runs_dir/empty.txt start end
  : > "$empty"
  rm -f "$runs_dir/s1" "$runs_dir/s2"
  for ((k = 0; k < 11; ++k)); do
    for j in 1 2; do
      start=$EPOCHREALTIME
      "$winnow" clean -q -j $j "$empty" > /dev/null
      end=$EPOCHREALTIME
      elapsed "$start" "$end" >> "$runs_dir/s$j"
    done
  done
  awk -v a="$(sort -n "$runs_dir/s1" | awk 'NR==6')" -v b="$(sort -n "$runs_dir/s2" | awk 'NR==6')" \
    'BEGIN{printf "start-up (a run on an empty file): %.1f ms at -j 1, %.1f ms at -j 2 (medians of 11)\n", a*1000, b*1000}'
}
startup_cost

for s in ${sizes//,/ }; do
  corpus=$out/corpus-${s}M.txt
  bytes=$(stat -L -c %s "$corpus")
  if [ "$s" -le 200 ]; then
    head -c 20000000 "$corpus" > "$out/corpus-20M.txt"
    measure "winnow clean -q -j 1 (20M, for RSS)" 20000000 \
      "$winnow" clean -q -j 1 "$out/corpus-20M.txt"
    # The three figures the targets compare run in rounds (-j 1, Python, -j 2, then again), so
    # that a slow minute of the VM falls on all three alike rather than on one.
    rm -f "$runs_dir"/j1-$s "$runs_dir"/py-$s "$runs_dir"/j2-$s
    for ((k = 0; k < repeat; ++k)); do
      run_once j1-$s "$winnow" clean -q -j 1 "$corpus"
      run_once py-$s sh -c 'exec python3 "$1" nfc < "$2"' sh "$tools/py_pipeline.py" "$corpus"
      run_once j2-$s "$winnow" clean -q -j 2 "$corpus"
    done
    report "winnow clean -q -j 1 (${s}M)" j1-$s "$bytes"
    j1=$last_seconds
    report "py_pipeline.py nfc (${s}M, stdin)" py-$s "$bytes"
    py=$last_seconds
    report "winnow clean -q -j 2 (${s}M)" j2-$s "$bytes"
    j2=$last_seconds
    two_run_ceiling "$corpus"
    # The same bytes as 16 files (split at line boundaries), for file-level parallelism.
    parts=$out/parts-${s}M
    if [ ! -d "$parts" ]; then
      mkdir -p "$parts"
      split -n l/16 -d -a 2 "$corpus" "$parts/part-"
    fi
    measure "winnow clean -q -j 1 -r (${s}M in 16 files)" "$bytes" \
      "$winnow" clean -q -j 1 -r "$parts"
    measure "winnow clean -q -j 2 -r (${s}M in 16 files)" "$bytes" \
      "$winnow" clean -q -j 2 -r "$parts"
    rounds=$(paste -d' ' "$runs_dir/j1-$s" "$runs_dir/py-$s" "$runs_dir/j2-$s" |
      awk '{printf "%s%.2f/%.1f", (NR>1?", ":""), $1/$7, $4/$1}')
    awk -v j1="$j1" -v j2="$j2" -v py="$py" -v rounds="$rounds" \
      'BEGIN{printf "(%sM) winnow -j 1 is %.1f times py_pipeline.py (-j 2: %.1f times); -j 2 is %.2f times -j 1\n(round by round, -j 2 over -j 1 / -j 1 over Python: %s)\n", "'"$s"'", py/j1, py/j2, j1/j2, rounds}'
  else
    measure "winnow clean -q -j 1 (${s}M, for RSS)" "$bytes" "$winnow" clean -q -j 1 "$corpus"
    j1=$last_seconds
    # Where the start-up is a smaller share of the run.
    measure "winnow clean -q -j 2 (${s}M)" "$bytes" "$winnow" clean -q -j 2 "$corpus"
    awk -v j1="$j1" -v j2="$last_seconds" 'BEGIN{printf "(%sM) -j 2 is %.2f times -j 1\n", "'"$s"'", j1/j2}'
  fi
done
