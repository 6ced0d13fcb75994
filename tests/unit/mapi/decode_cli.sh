#!/bin/sh
# Scenario: `reprofile decode` prints the helpdesk view of an entry ID and of
# a registry value, and rejects bad input with one line and exit 1.
# Expected strings come from the MFCMAPI vector's Out file (server, SMTP) and
# from outlook-profile-registry.md 1.3 ("10036621" = two 0x8004010F).
set -u
R="$RP_EMULATOR $REPROFILE"
fail() { echo "FAIL: $*"; exit 1; }
V="$RP_SHARED_DIR/vectors/mfcmapi"
if [ -d "$V" ]; then
	hex=$(tr -d '\r\n ' < "$V/In/ENTRYID-38.dat")
	out=$($R decode entryid "$hex") || fail "decode entryid exit $?"
	smtp=$(tr -d '\r' < "$V/Out/ENTRYID-out-38.dat" | sed -n 's/^[[:space:]]*SmtpAddress = //p')
	[ -n "$smtp" ] || fail "no SmtpAddress in the Out file"
	echo "$out" | grep -q "SMTP address: $smtp" || fail "SMTP $smtp not shown: $out"
	echo "$out" | grep -q "kind: emsmdb" || fail "kind not shown"
	js=$($R decode entryid "$hex" --json) || fail "json exit $?"
	echo "$js" | grep -q "\"smtp_address\": \"$smtp\"" || fail "json lacks smtp: $js"
	# cut short: drop the last byte (the v3 tail's reserved bytes stay, the
	# SMTP NUL goes with a further cut)
	short=$(echo "$hex" | cut -c1-300)
	err=$($R decode entryid "$short" 2>&1 >/dev/null); rc=$?
	[ $rc -eq 1 ] || fail "cut ID exit $rc"
	[ "$(echo "$err" | wc -l)" -eq 1 ] || fail "more than one error line: $err"
	echo "$err" | grep -q "offset" || fail "error does not name an offset: $err"
else
	echo "note: $V absent, entry-ID part skipped"
fi
out=$($R decode value 10036621 "hex:0f,01,04,80,0f,01,04,80") || fail "decode value exit $?"
echo "$out" | grep -q "PR_CONTAB_STORE_SUPPORT_MASKS" || fail "tag name missing: $out"
echo "$out" | grep -q "0x8004010f" || fail "value missing: $out"
out=$($R decode value 0x6641001F "53004d00540050003a00610040006200 0000" --json) || fail "json value"
echo "$out" | grep -q '"value": "SMTP:a@b"' || fail "string value missing: $out"
err=$($R decode entryid 00zz 2>&1 >/dev/null); rc=$?
[ $rc -eq 1 ] || fail "bad hex exit $rc"
echo "$err" | grep -q "hex" || fail "bad hex message: $err"
err=$($R decode value 11023d05 "02000000 01000000 0c000000" 2>&1 >/dev/null); rc=$?
[ $rc -eq 1 ] || fail "bad MV exit $rc"
echo "$err" | grep -q "11023d05" || fail "MV error does not name the value: $err"
$R decode bogus >/dev/null 2>&1; [ $? -eq 2 ] || fail "usage exit"
echo "ok"
