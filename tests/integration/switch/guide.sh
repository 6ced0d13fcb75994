#!/bin/sh
# Defects found by an item-by-item audit against the admin guide (issue 7,
# section 3): each step drives the real binary and checks what an
# administrator replacing the old tool in a logon script would notice.
. "$(dirname "$0")/common.sh"
P="HKEY_CURRENT_USER\\$PROFILES\\Outlook"

# 1. KeepOST=1 keeps the OST even when it is named after the SMTP address
# (Outlook's default name): a path is never rewritten by address.
load "$FIX/outlook2016-cached.reg"
SRC=$(field "x['smtp']")
DST=${SRC%@*}@target.example
SECT=$(field "x['section']")
OST="$RP_TMP/$SRC.ost"
echo "offline folder file" >"$OST"
snippet "$RP_TMP/ost.reg" "[$P\\$SECT]" "\"001f6610\"=hex:$(hexw "$OST")"
load "$FIX/outlook2016-cached.reg" "$RP_TMP/ost.reg"
switches "$SRC=$DST"
ini "ProcessOfflineProfiles=1" "KeepOST=1"
run update
expect_rc 1 "KeepOST with <smtp>.ost"
[ "$(field "x['smtp']")" = "$DST" ] || die "not switched"
[ "$(field "x['ost_path']")" = "$OST" ] ||
	die "KeepOST: the OST path became '$(field "x['ost_path']")'"
echo "ok: 1 KeepOST keeps <smtp>.ost"

# 7. Bit 256 (a log that cannot be moved to the share) is in the log's last
# line, which stays in the guide's staging folder %TEMP%\CPUULogs (8.).
if [ $MODE = hive ]; then
	load "$FIX/outlook2016-online.reg"
	SRC=$(field "x['smtp']")
	switches "$SRC=${SRC%@*}@target.example"
	ini
	mkdir -p "$RP_TMP/temp"
	(cd "$RP_TMP" && TMPDIR="$RP_TMP/temp" rp update $RUNSTORE -INI reprofile.ini \
		-Log "//no-such-server.invalid/share/u.log" >"$RP_TMP/out.txt" 2>"$RP_TMP/err.txt")
	RC=$?
	[ "$RC" -eq 1 ] || die "exit status $RC with an unreachable log share, expected 1 (257 & 255)"
	STAGED="$RP_TMP/temp/CPUULogs/u.log"
	[ -f "$STAGED" ] || die "no staged log in %TEMP%\\CPUULogs: $(ls -R "$RP_TMP/temp")"
	tr -d '\r' <"$STAGED" | tail -n 1 |
		grep -q "Exit code 257 (CPUU_SUCCESS|CPUU_FAILED_TO_COPY_LOCALLOG_TO_REMOTE_SHARE)" ||
		die "last line of the staged log: $(tail -n 1 "$STAGED")"
	echo "ok: 7 bit 256 on the log's last line, staged in CPUULogs"
fi

# 8. Without -Log the log is the guide's CPUU.log (and CPUU.csv) in the
# current folder; --help names what the code uses.
load "$FIX/outlook2016-online.reg"
ini
rm -f "$RP_TMP/CPUU.log" "$RP_TMP/CPUU.csv"
(cd "$RP_TMP" && rp update $RUNSTORE -INI reprofile.ini >"$RP_TMP/out.txt" 2>"$RP_TMP/err.txt")
[ -f "$RP_TMP/CPUU.log" ] && [ -f "$RP_TMP/CPUU.csv" ] || die "no CPUU.log/CPUU.csv: $(ls "$RP_TMP")"
rp update --help >"$RP_TMP/help.txt"
grep -q "default: CPUU.log" "$RP_TMP/help.txt" || die "--help does not name CPUU.log"
grep -q "CPUULogs" "$RP_TMP/help.txt" || die "--help does not name CPUULogs"
echo "ok: 8 the guide's default log name and staging folder"

# 10c. A save that fails: the log never says the profile was switched (the
# hive is written whole at the end; a file size limit makes that fail).
if [ $MODE = hive ]; then
	load "$FIX/outlook2016-online.reg"
	SRC=$(field "x['smtp']")
	switches "$SRC=${SRC%@*}@target.example"
	ini
	cp "$RP_TMP/ntuser.dat" "$RP_TMP/before.dat"
	limit=$(($(wc -c <"$RP_TMP/ntuser.dat") / 1024))
	(
		trap '' XFSZ
		ulimit -f "$limit"
		run update
		expect_rc 4 "failed save"
		expect_csv 'Outlook\t11\t0'
	) || exit 1
	cmp -s "$RP_TMP/before.dat" "$RP_TMP/ntuser.dat" || die "the failed save changed the hive"
	grep -q "Nothing was saved" "$RP_TMP/run.log" || die "no 'Nothing was saved' line"
	grep -q "was switched" "$RP_TMP/run.log" && die "the log says the profile was switched"
	echo "ok: 10 a failed save is not reported as a switch"
fi

# 6. -Undo NAME where NAME was never updated: nothing to undo is
# CPUU_CANNOT_START (0), the guide's undo table; a switched profile whose
# backup is gone is still CPUU_SWITCH_ERR (switch.cycle).
load "$FIX/outlook2016-online.reg"
ini
run -Undo Outlook
expect_rc 0 "-Undo of a profile never updated"
expect_csv 'Outlook\t0\t0'
grep -q "Profile 'Outlook' was never switched: nothing to undo" "$RP_TMP/run.log" ||
	die "the log does not say there is nothing to undo"
SRC=$(field "x['smtp']")
switches "$SRC=${SRC%@*}@target.example"
run update
expect_rc 1 "update before the rollbacks"
run -Undo Outlook
expect_rc 1 "-Undo of a switched profile"
run -Undo Outlook
expect_rc 0 "-Undo of a profile rolled back already"
expect_csv 'Outlook\t0\t12'
grep -q "Profile 'Outlook' was rolled back already: nothing to undo" "$RP_TMP/run.log" ||
	die "the log does not say the profile was rolled back already"
echo "ok: 6 -Undo NAME never updated is CPUU_CANNOT_START"

# 5. A profile that already names a target mailbox is 2
# PROFILE_ALREADY_UPDATED without CPUU_NO_SWITCH_MSG: after -Cleanup (the
# state's target identity), with no state at all (a target of the switch
# list), whoever switched it.
load "$FIX/outlook2016-online.reg"
SRC=$(field "x['smtp']")
DST=${SRC%@*}@target.example
switches "$SRC=$DST"
ini
run update
expect_rc 1 "update before cleanup"
run -Cleanup
expect_rc 1 "cleanup"
run update
expect_rc 0 "update after cleanup"
expect_csv 'Outlook\t2\t14'
# Switched by another tool (no state at all): the switch list's target
# names the account.
export_key "$PROFILES" "$RP_TMP/switched.reg"
load "$RP_TMP/switched.reg"
[ "$(field "x['smtp']")" = "$DST" ] || die "the switched copy does not name the target"
run update
expect_rc 0 "update of a profile switched by another tool"
expect_csv 'Outlook\t2\t0'
grep -q "already names the target mailbox '$DST' (switch list" "$RP_TMP/run.log" ||
	die "the log does not say why the profile is already updated"
# Same SMTP address on both sides (the guide's same-domain migration): the
# DN tells; a profile still on the source DN is switched.
load "$FIX/outlook2016-online.reg"
SDN=$(field "x['mailbox_dn']")
printf 'source,target_smtp,target_legacy_dn,target_kind\n%s,%s,%s,exchange\n' "$SDN" "$SRC" \
	"/o=Target/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=same" \
	>"$RP_TMP/switch.csv"
rm -f "$RP_TMP/adx/$SRC.xml" # (one folder answers both sides: the list's DN only)
run update
expect_rc 1 "same SMTP address, source DN: switched"
echo "ok: 5 already updated after cleanup and by another tool"

# 2. A configuration error goes into the log and the CSV too (every profile
# of the store: 0, not processed), not only to stderr; exit 16.
load "$FIX/outlook2016-online.reg"
ini "KeepOST=maybe"
run update
expect_rc 16 "bad value"
grep -q "\[Error\] .*reprofile.ini:5: \[Parameters\] KeepOST=maybe" "$RP_TMP/run.log" ||
	die "the bad value is not in the log"
expect_csv 'Outlook\t0\t0'
rm -f "$RP_TMP/run.log" "$RP_TMP/run.csv"
(cd "$RP_TMP" && rp update $RUNSTORE -INI missing.ini -Log run.log >"$RP_TMP/out.txt" 2>"$RP_TMP/err.txt")
RC=$?
expect_rc 16 "missing INI"
grep -q "\[Error\] .*missing.ini" "$RP_TMP/run.log" || die "the missing INI is not in the log"
expect_csv 'Outlook\t0\t0'
echo "ok: 2 configuration errors in the log and the CSV"

# 3. An unknown [Parameters] key (an INI of the original wizard may carry
# keys the guide does not list): a warning naming the line, and the run goes
# on; `reprofile check-ini` reports it (and every other problem) as an error.
load "$FIX/outlook2016-online.reg"
SRC=$(field "x['smtp']")
switches "$SRC=${SRC%@*}@target.example"
ini "WizardOnlyKey=1"
run update
expect_rc 1 "unknown key"
grep -q "\[Warning\] .*reprofile.ini:5: \[Parameters\] WizardOnlyKey=1: unknown parameter, ignored" \
	"$RP_TMP/run.log" || die "no warning naming the unknown key's line"
(cd "$RP_TMP" && rp check-ini reprofile.ini >"$RP_TMP/out.txt" 2>&1)
RC=$?
[ "$RC" -ne 0 ] || die "check-ini accepted an unknown key"
grep -q "reprofile.ini:5: \[Parameters\] WizardOnlyKey=1: unknown parameter" "$RP_TMP/out.txt" ||
	die "check-ini does not name the unknown key: $(cat "$RP_TMP/out.txt")"
ini "WizardOnlyKey=1" "KeepOST=maybe" "Password=plain"
(cd "$RP_TMP" && rp check-ini reprofile.ini >"$RP_TMP/out.txt" 2>&1)
RC=$?
[ "$RC" -eq 16 ] || die "check-ini exit $RC, want 16"
[ "$(grep -c "error" "$RP_TMP/out.txt")" -ge 3 ] ||
	die "check-ini does not report every problem: $(cat "$RP_TMP/out.txt")"
ini
(cd "$RP_TMP" && rp check-ini reprofile.ini >"$RP_TMP/out.txt" 2>&1) ||
	die "check-ini refused a good INI: $(cat "$RP_TMP/out.txt")"
echo "ok: 3 unknown keys are warnings; check-ini reports them"

# 4. A password of the original wizard: one line saying what the value looks
# like, that its format is not public, and how to replace it.
ini "Admin=admin@target.example" "Password=7F3A62CD00FC1DDDCD"
(cd "$RP_TMP" && rp check-ini reprofile.ini >"$RP_TMP/out.txt" 2>&1)
RC=$?
[ "$RC" -eq 16 ] || die "check-ini exit $RC for a wizard password, want 16"
grep -q "reprofile.ini:6: \[Parameters\] Password=<hidden>: not a password protected by reprofile: 18 hexadecimal digits, the form of a password encrypted by the original CPUU configuration wizard, whose format is not public.*reprofile protect-password" \
	"$RP_TMP/out.txt" || die "check-ini: $(cat "$RP_TMP/out.txt")"
grep -q 7F3A62CD "$RP_TMP/out.txt" && die "the password value was printed"
echo "ok: 4 wizard passwords explained"

# 10a. %username% in -Log (the guide's example %username%_CPUU.log) is
# looked up case-insensitively in the native build too (Windows' own
# environment is case-insensitive, and Wine sets USERNAME itself).
if [ $MODE = hive ]; then
	load "$FIX/outlook2016-online.reg"
	ini
	rm -f "$RP_TMP"/*_CPUU.log
	(cd "$RP_TMP" && USERNAME=jdoe rp update $RUNSTORE -INI reprofile.ini \
		-Log '%username%_CPUU.log' >"$RP_TMP/out.txt" 2>"$RP_TMP/err.txt")
	[ -f "$RP_TMP/jdoe_CPUU.log" ] || die "%username% not expanded: $(ls "$RP_TMP")"
	echo "ok: 10 %username% in -Log"
fi

# 10b. AllowAdditionalServices=<All>, the guide's literal text, means All.
load "$FIX/outlook2016-online.reg"
SVC=$(field "x['service_uid']")
SRC=$(field "x['smtp']")
extra_service "$RP_TMP/extra-service.reg" "$SVC"
load "$FIX/outlook2016-online.reg" "$RP_TMP/extra-service.reg"
switches "$SRC=${SRC%@*}@target.example"
ini "AllowAdditionalServices=<All>"
run update
expect_rc 1 "AllowAdditionalServices=<All>"
expect_csv 'Outlook\t10\t0'
echo "ok: 10 AllowAdditionalServices=<All>"
