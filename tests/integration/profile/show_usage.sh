#!/bin/sh
# Usage errors exit 2; without a store the native build explains that the
# live registry needs Windows and exits 2.
set -u
mkdir -p "$RP_TMP"
fail=0
$RP_EMULATOR "$REPROFILE" show --bogus >/dev/null 2>&1
[ $? -eq 2 ] || { echo "FAIL: --bogus not exit 2"; fail=1; }
fix="$RP_SOURCE_DIR/tests/fixtures/profiles/outlook2016-cached.reg"
$RP_EMULATOR "$REPROFILE" show --reg "$fix" --hive "$fix" >/dev/null 2>&1
[ $? -eq 2 ] || { echo "FAIL: --reg with --hive not exit 2"; fail=1; }
$RP_EMULATOR "$REPROFILE" show --reg "$fix" --profile Nope >/dev/null 2>"$RP_TMP/err"
[ $? -eq 1 ] || { echo "FAIL: unknown profile not exit 1"; fail=1; }
grep -q 'no profile named "Nope"' "$RP_TMP/err" || { echo "FAIL: unknown profile message"; fail=1; }
if [ -z "${RP_EMULATOR:-}" ]; then
	$RP_EMULATOR "$REPROFILE" show >/dev/null 2>"$RP_TMP/err"
	[ $? -eq 2 ] || { echo "FAIL: live registry on Linux not exit 2"; fail=1; }
	grep -q "only available in the Windows build" "$RP_TMP/err" || { echo "FAIL: live message"; fail=1; }
fi
exit $fail
