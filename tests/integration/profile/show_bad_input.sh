#!/bin/sh
# Bad input: one line on stderr naming file, key and value; non-zero exit;
# the input file is left untouched (show never writes).
set -u
bad="$RP_SOURCE_DIR/tests/fixtures/bad/profile"
mkdir -p "$RP_TMP"
fail=0
check() { # file value-name
	f="$bad/$1"
	before=$(cksum <"$f")
	$RP_EMULATOR "$REPROFILE" show --reg "$f" >"$RP_TMP/out" 2>"$RP_TMP/err"
	st=$?
	tr -d '\r' <"$RP_TMP/err" >"$RP_TMP/err1"
	lines=$(wc -l <"$RP_TMP/err1")
	if [ $st -eq 0 ]; then echo "FAIL $1: exit 0"; fail=1; fi
	if [ "$lines" -ne 1 ]; then echo "FAIL $1: $lines lines on stderr"; fail=1; fi
	for want in "$1" 'Profiles\Outlook\' "value $2"; do
		grep -qF -- "$want" "$RP_TMP/err1" || { echo "FAIL $1: message lacks '$want'"; fail=1; }
	done
	[ -s "$RP_TMP/out" ] && { echo "FAIL $1: wrote to stdout"; fail=1; }
	[ "$(cksum <"$f")" = "$before" ] || { echo "FAIL $1: input changed"; fail=1; }
	cat "$RP_TMP/err1"
}
check mv-offset-out-of-range.reg 11023d05
check mv-item-past-end.reg 11026620
check store-eid-cut-short.reg 01020ffb
# a .reg file that is not a .reg file at all
printf 'this is not a registry file\n' >"$RP_TMP/garbage.reg"
if $RP_EMULATOR "$REPROFILE" show --reg "$RP_TMP/garbage.reg" >/dev/null 2>"$RP_TMP/err"; then
	echo "FAIL: garbage accepted"; fail=1
fi
# a missing file
if $RP_EMULATOR "$REPROFILE" show --hive "$RP_TMP/absent.hive" >/dev/null 2>"$RP_TMP/err"; then
	echo "FAIL: missing hive accepted"; fail=1
fi
grep -q "absent.hive" "$RP_TMP/err" || { echo "FAIL: missing-file message lacks the name"; fail=1; }
exit $fail
