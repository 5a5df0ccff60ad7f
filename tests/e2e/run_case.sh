#!/usr/bin/env bash
# End-to-end test of one page case: runs the built winnow on CASE_DIR/input.txt and
#  1. diffs JSONL and Markdown output with CASE_DIR/expected.jsonl and expected.md, and
#  2. checks the directives of CASE_DIR/checks.txt (records:, title:, contains:, absent:),
#     written by hand from what the page says, so a golden file that bakes in a bug fails too.
# Usage: run_case.sh WINNOW CASE_DIR
set -uo pipefail
winnow=$1
case_dir=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL [$(basename "$case_dir")]: $*"; failures=$((failures + 1)); }

cd "$case_dir" || exit 2
# Run on the relative name so "source" does not depend on where the repository lives.
"$winnow" clean -q input.txt > "$work/actual.jsonl"
status=$?
[ $status -eq 0 ] || fail "winnow clean exited $status"
"$winnow" clean -q -f md input.txt > "$work/actual.md" || fail "winnow clean -f md failed"

for kind in jsonl md; do
  if [ -f "expected.$kind" ]; then
    diff -u "expected.$kind" "$work/actual.$kind" > "$work/diff.$kind" ||
      { fail "output differs from expected.$kind:"; head -60 "$work/diff.$kind"; }
  else
    fail "missing expected.$kind (generate it with tests/e2e/update_golden.sh and read it)"
  fi
done

if [ -f checks.txt ]; then
  titles=()
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in
      ''|'#'*) continue ;;
    esac
    directive=${line%%:*}
    value=${line#*: }
    case "$directive" in
      records)
        count=$(grep -c '' "$work/actual.jsonl")
        [ "$count" -eq "$value" ] || fail "expected $value records, got $count" ;;
      title) titles+=("$value") ;;
      contains)
        grep -qF -- "$value" "$work/actual.md" || fail "output lacks: $value" ;;
      absent)
        if grep -qF -- "$value" "$work/actual.md"; then fail "output holds: $value"; fi ;;
      *) fail "unknown directive in checks.txt: $line" ;;
    esac
  done < checks.txt
  if [ ${#titles[@]} -gt 0 ]; then
    mapfile -t actual_titles < <(grep '^# ' "$work/actual.md" | sed 's/^# //')
    if [ "${titles[*]}" != "${actual_titles[*]}" ]; then
      fail "titles differ"
      printf '  expected: %s\n' "${titles[@]}"
      printf '  actual:   %s\n' "${actual_titles[@]}"
    fi
  fi
fi

if [ $failures -gt 0 ]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "ok: $(basename "$case_dir")"
