# Sourced by the end-to-end scripts: a scratch directory removed at exit, and check(), which
# counts passes and failures so a script can end with `finish NAME`.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
passes=0
check() {  # check NAME COMMAND...: the command must succeed
  local name=$1; shift
  if "$@"; then passes=$((passes + 1)); else echo "FAIL: $name"; failures=$((failures + 1)); fi
}
