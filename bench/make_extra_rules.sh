#!/usr/bin/env bash
# Writes a rule file of N site rules shaped like real user rules (anchored ad lines, unanchored
# phrases, classes, alternations, case-insensitive parts; head, body, tail and any scopes), for
# measuring how matching cost grows with the number of rules. None of them matches the
# benchmark corpus, so the output stays the same and only the matching cost changes.
# Usage: bench/make_extra_rules.sh N > rules.json
set -euo pipefail
n=${1:-200}
scopes=(body any body head tail body any body)
patterns=(
  '^【站点%d推荐\\s*:'
  '^扫码关注公众号「技术站%d」'
  '立即领取第%d份面试资料'
  '^本文首发于站点%d(?:\\.com|\\.cn)?$'
  '^(?:友情链接|合作伙伴)\\s*:\\s*站%d网'
  '^广告\\s*[:|]\\s*\\S+ 第%d期$'
  '(?i)^visit site%d\\.example\\.(?:com|net) for more'
  '^\\p{Han}{2,6}会员专享%d\\s*(?:→|>>)$'
)
echo '{"rules": ['
for ((i = 1; i <= n; i++)); do
  k=$(( (i - 1) % ${#patterns[@]} ))
  pattern=${patterns[$k]//%d/$i}
  sep=','; [ "$i" -eq "$n" ] && sep=''
  printf '  {"id": "bench.site-%d", "scope": "%s", "action": "drop-line", "pattern": "%s"}%s\n' \
    "$i" "${scopes[$k]}" "$pattern" "$sep"
done
echo ']}'
