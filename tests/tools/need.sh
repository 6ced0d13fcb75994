#!/bin/sh
# rp_need (scripts/tools.sh), the one place a test asks for a program: run
# with a PATH that lacks the tool, it skips (77) with one line naming the tool
# and its Debian package, and under CI=true fails (1) with that line instead;
# a present tool lets the script go on; a tool the list lacks always fails.
# Runs with PATH holding only a scratch folder: the helper needs no program.
set -u
fail() {
	echo "FAIL: $*"
	[ -f "$RP_TMP/out" ] && sed 's/^/  output: /' "$RP_TMP/out"
	exit 1
}
BIN=$RP_TMP/bin
mkdir -p "$BIN" "$RP_TMP/sbin"

# need CI TOOL...: rp_need TOOL... in a clean sh whose PATH is $BIN only and
# whose sbin fallback is $RP_TMP/sbin; output in $RP_TMP/out, status in rc.
need() {
	ci=$1
	shift
	env -i PATH="$BIN" RP_TOOLS_SBIN="$RP_TMP/sbin" RP_SOURCE_DIR="$RP_SOURCE_DIR" \
		${LIST:+RP_TOOLS_FILE="$LIST"} RP_TEST_NAME=demo.test CI="$ci" /bin/sh -c \
		'. "$RP_SOURCE_DIR/scripts/tools.sh"; rp_need "$@"; echo "went on, PATH=$PATH"' \
		sh "$@" >"$RP_TMP/out" 2>&1
	rc=$?
}
# expect RC LINE: exactly one line of output, equal to LINE.
expect() {
	[ "$rc" = "$1" ] || fail "exit $rc, expected $1"
	[ "$(wc -l <"$RP_TMP/out")" -eq 1 ] || fail "not one line"
	[ "$(cat "$RP_TMP/out")" = "$2" ] || fail "expected: $2"
}
LIST=

# 1. CI=true, kadmin.local missing: fails, naming the tool and the package.
need true kadmin.local
expect 1 "FAIL: demo.test needs kadmin.local (Debian package krb5-admin-server); under CI=true a listed tool is never skipped"
need 1 reglookup
expect 1 "FAIL: demo.test needs reglookup (Debian package reglookup); under CI=true a listed tool is never skipped"

# 2. Without CI (and with CI=false), the same tool is a skip with a note.
for ci in '' false; do
	need "$ci" kadmin.local
	expect 77 "skipped: demo.test needs kadmin.local (Debian package krb5-admin-server; scripts/setup.sh installs it)"
done

# 3. The first missing of several is named; present ones pass.
printf '#!/bin/sh\n' >"$BIN/openssl"
chmod +x "$BIN/openssl"
need true openssl xmllint python3
expect 1 "FAIL: demo.test needs xmllint (Debian package libxml2-utils); under CI=true a listed tool is never skipped"
printf '#!/bin/sh\n' >"$BIN/xmllint"
printf '#!/bin/sh\n' >"$BIN/python3"
chmod +x "$BIN/xmllint" "$BIN/python3"
need true openssl xmllint python3
expect 0 "went on, PATH=$BIN"

# 4. A tool found only in the sbin folder passes and lands in PATH.
printf '#!/bin/sh\n' >"$RP_TMP/sbin/kadmin.local"
chmod +x "$RP_TMP/sbin/kadmin.local"
need true kadmin.local
expect 0 "went on, PATH=$BIN:$RP_TMP/sbin"

# 5. A tool the list does not name fails, with or without CI.
for ci in '' true; do
	need "$ci" frobnicate
	expect 1 "FAIL: demo.test needs frobnicate, which $RP_SOURCE_DIR/scripts/tools.txt does not list (add \"frobnicate <Debian package>\")"
done

# 6. File entries (absolute paths): present when the file exists.
LIST=$RP_TMP/list.txt
printf '# a test list\n\n%s pkg-present\n/nonexistent/mod_x.so pkg-x\n' "$LIST" >"$LIST"
need true "$LIST"
expect 0 "went on, PATH=$BIN"
need true /nonexistent/mod_x.so
expect 1 "FAIL: demo.test needs /nonexistent/mod_x.so (Debian package pkg-x); under CI=true a listed tool is never skipped"
echo "rp_need: fails under CI=true, skips otherwise, names tool and package"
