#!/usr/bin/env bash
# Regenerates the expected files of ONE case and shows the diff, to be read before committing.
# Usage: tests/e2e/update_golden.sh BUILD_DIR/winnow testdata/pages/CASE
set -euo pipefail
winnow=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$2"
"$winnow" clean -q input.txt > expected.jsonl
"$winnow" clean -q -f md input.txt > expected.md
git diff --stat -- expected.jsonl expected.md || true
