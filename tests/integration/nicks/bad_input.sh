#!/bin/sh
# Bad nickname files (issue 8): every fixture of tests/fixtures/nicks/bad
# (truncated and inconsistent streams and .nk2 files, impossible counts and
# sizes) put in the user's folder. Nicks not critical: the switch goes on,
# one line names the file, no nickname file is written (all or none).
# Critical=Nicks: status 11, exit bit 4, the profile and every file untouched.
# Natively all 16 fixtures; under Wine every 4th.
. "$(dirname "$0")/../switch/common.sh"
. "$(dirname "$0")/common_nicks.sh"
load "$FIX/outlook2016-online.reg"
switches "$SRC_SMTP=$DST_SMTP"
trap cleanup_user_files EXIT
export_key "$PROFILES" "$RP_TMP/before.reg"

# Under Wine a process start costs ~100x more: every 4th fixture there (the
# codec's unit tests read all of them under Wine too).
n=0 i=0
for bad in "$NFIX"/bad/*; do
	name=$(basename "$bad")
	i=$((i + 1))
	[ $MODE = live ] && [ $((i % 4)) -ne 1 ] && continue
	user_files
	case $name in
	*.nk2) victim=$NK2 ;;
	*) victim=$STREAM ;;
	esac
	cp "$bad" "$victim"
	cp "$bad" "$RP_TMP/orig/$(basename "$victim")"

	nicks_ini
	run update
	expect_rc 1 "$name, Nicks not critical"
	grep 'Nicknames' "$RP_TMP/run.log" | grep -qF "$(basename "$victim")" ||
		die "$name: no Nicknames line naming $(basename "$victim")"
	[ "$(grep -c 'Nicknames' "$RP_TMP/run.log")" -eq 1 ] || die "$name: more than one Nicknames line"
	same_as_orig "$STREAM" "$NK2"
	run rollback
	expect_rc 1 "$name: rollback"
	same_as_orig "$STREAM" "$NK2" "$SRS"
	n=$((n + 1))
done
[ $n -ge 16 ] || { [ $MODE = live ] && [ $n -ge 4 ]; } || die "only $n bad nickname fixtures"

# Critical=Nicks: the profile is not switched at all, no file touched.
for name in bad-value-size.dat bad-nk2-eid-size.nk2 bad-trailing-bytes.dat; do
	user_files
	case $name in
	*.nk2) victim=$NK2 ;;
	*) victim=$STREAM ;;
	esac
	cp "$NFIX/bad/$name" "$victim"
	cp "$NFIX/bad/$name" "$RP_TMP/orig/$(basename "$victim")"
	nicks_ini "Critical=Nicks"
	run update
	expect_rc 4 "$name, Critical=Nicks"
	tr -d '\r' <"$RP_TMP/run.csv" | grep -q "^Outlook$(printf '\t')11$(printf '\t')" ||
		die "$name: status is not 11 (PROFILE_MODIFYING_FAILED)"
	grep -qF "$(basename "$victim")" "$RP_TMP/run.log" || die "$name: the log does not name the file"
	export_key "$PROFILES" "$RP_TMP/after.reg"
	cmp -s "$RP_TMP/before.reg" "$RP_TMP/after.reg" || die "$name: the profile changed"
	same_as_orig "$STREAM" "$NK2" "$SRS"
done
echo "ok: $n bad nickname files, 3 with Critical=Nicks ($MODE)"
