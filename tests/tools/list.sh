#!/bin/sh
# scripts/tools.txt is the one list of programs, and the tests keep to it:
#  1. each line is "NAME PACKAGE", each NAME once;
#  2. no test script (tests/, cmake/) looks for a program itself (command -v,
#     which, type -p, hash): every such question goes through rp_need, so it
#     cannot turn into a quiet skip in CI;
#  3. every tool of the list is here (rp_need: under CI=true a missing one
#     fails, naming its package).
# That each package brings its tool is proven on a bare Debian 12 root by
# scripts/fresh-check.sh (nothing else there could bring it).
set -u
fail() {
	echo "FAIL: $*"
	exit 1
}
LIST=$RP_SOURCE_DIR/scripts/tools.txt
. "$RP_SOURCE_DIR/scripts/tools.sh"

# 1.
bad=$(grep -nvE '^[[:space:]]*(#.*)?$|^[^[:space:]#]+ [a-z0-9][a-z0-9.+-]+$' "$LIST")
[ -z "$bad" ] || fail "lines of $LIST not of the form 'NAME PACKAGE': $bad"
dup=$(rp_tools_read | awk '{print $1}' | sort | uniq -d)
[ -z "$dup" ] || fail "named twice in $LIST: $dup"
n=$(rp_tools_read | wc -l)
[ "$n" -gt 30 ] || fail "only $n tools read from $LIST"

# 2. At a command's place (line start, after ; & | ( ! or if/then/do/while),
#    not in comments or prose ("... which Wine cannot ...").
own=$(grep -rnE '(^|[;&|(!]|(if|then|do|while|until)[[:space:]])[[:space:]]*(command[[:space:]]+-v|which|type[[:space:]]+-[pP]|hash)[[:space:]]' \
	"$RP_SOURCE_DIR/tests" "$RP_SOURCE_DIR/cmake" --include='*.sh' --include='*.in' |
	grep -vE '^[^:]+:[0-9]+:[[:space:]]*#')
[ -z "$own" ] || fail "these lines look for a program themselves; use rp_need (scripts/tools.sh):
$own"

# 3.
# shellcheck disable=SC2046 # one word per tool
rp_need $(rp_tools_read | awk '{print $1}')

echo "$n tools listed once, all present; no test looks for a program itself"
