#!/usr/bin/env bash
# ICU's charset detector beside uchardet on the test pages, converted in process to GB18030,
# GBK, Big5 (in traditional characters) and UTF-16LE/BE without BOM, on heads of 64 KiB down
# to 64 bytes (bench/detector_compare.cc). Prints how many pages each decider names right per
# encoding and head size; with -v, every miss and what was answered.
# Usage: bench/compare_detectors.sh [-v] [BUILD_DIR]
# Installs Debian's libuchardet-dev when it is missing (nothing else in winnow needs it).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
verbose=0
if [ "${1:-}" = -v ]; then verbose=1; shift; fi
build=${1:-$root/build}
"$root/scripts/setup" "$build" > /dev/null
if [ "$(dpkg-query -W -f='${db:Status-Status}' libuchardet-dev 2>/dev/null || true)" != installed ]; then
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  echo "compare_detectors: installing libuchardet-dev" >&2
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends libuchardet-dev >&2
fi
cmake "$build" > /dev/null
cmake --build "$build" --target detector_compare > /dev/null
echo "uchardet $(dpkg-query -W -f='${Version}' libuchardet-dev), ICU $(dpkg-query -W -f='${Version}' libicu-dev)"
"$build/bench/detector_compare" "$root"/testdata/pages/*/input.txt > "$build/detector_compare.tsv"
if [ "$verbose" -eq 1 ]; then grep '^miss' "$build/detector_compare.tsv" || true; fi
grep -v '^miss' "$build/detector_compare.tsv" | awk -F'\t' '{printf "%-9s %-11s %-9s %s\n", $1, $2, $3, $4}'
