#!/bin/sh
# The whole life of a switch on one profile (issue 3): update, rerun,
# rollback (byte for byte), update again, cleanup, rollback refused. Natively
# on a REGF hive (re-read by reglookup when installed), in the Windows build
# on Wine's registry.
. "$(dirname "$0")/common.sh"
K="$PROFILES\\Outlook"
SRC=bob.nguyen@source.example
DST=bob.nguyen@target.example
load "$FIX/outlook2016-online.reg"
switches "$SRC=$DST"
ini
export_key "$K" "$RP_TMP/orig-profile.reg"
export_key "$ADKEY" "$RP_TMP/orig-ad.reg"

# Outlook's cached Autodiscover answers: the one for the source address must go
# (backed up), the others stay.
mkdir -p "$RP_TMP/olk/16"
sed -e "s/ada@target.example/$SRC/g" "$ADX/o365-target.xml" >"$RP_TMP/olk/0a1b - Autodiscover.xml"
cp "$RP_TMP/olk/0a1b - Autodiscover.xml" "$RP_TMP/olk/16/5c6d - Autodiscover.xml"
sed -e "s/ada@target.example/carol@target.example/g" "$ADX/o365-target.xml" \
	>"$RP_TMP/olk/9f8e - Autodiscover.xml"
cp "$RP_TMP/olk/0a1b - Autodiscover.xml" "$RP_TMP/cached-orig.xml"

# The dry run writes nothing, and its .reg diff is exactly what update writes:
# imported into a copy of the store it gives the switched profile.
if [ $MODE = hive ]; then
	cp "$RP_TMP/ntuser.dat" "$RP_TMP/pristine.dat"
	run update --dry-run --outlook-data olk
	expect_rc 0 "dry run"
	cmp -s "$RP_TMP/pristine.dat" "$RP_TMP/ntuser.dat" || die "--dry-run wrote to the hive"
	[ -e "$RP_TMP/run.log" ] && die "--dry-run wrote a log file"
	[ -f "$RP_TMP/olk/0a1b - Autodiscover.xml" ] || die "--dry-run deleted a file"
	grep -q '^\[HKEY_CURRENT_USER\\Software' "$RP_TMP/out.txt" || die "no .reg diff on stdout"
	# Its summary says that nothing was written because it was a dry run.
	tr -d '\r' <"$RP_TMP/err.txt" | tail -n 2 >"$RP_TMP/dry-tail.txt"
	grep -q "Profile 'Outlook': would be switched (dry run: nothing was written)" \
		"$RP_TMP/dry-tail.txt" || die "the dry run's profile line does not say dry run"
	tail -n 1 "$RP_TMP/dry-tail.txt" | grep -q "Exit code 0 (dry run: nothing was written)$" ||
		die "the dry run's last line does not say dry run"
	grep -E "PROFILE_WAS_NOT_PROCESSED|CPUU_CANNOT_START" "$RP_TMP/err.txt" >&2 &&
		die "the dry run reports a status or code of a run that failed to start"
	grep -q 'delete file (after backup): olk.0a1b - Autodiscover.xml' "$RP_TMP/out.txt" ||
		die "the plan does not list the cached Autodiscover file"
	cp "$RP_TMP/pristine.dat" "$RP_TMP/planned.dat"
	rp reg import --hive "$RP_TMP/planned.dat" "$RP_TMP/out.txt" >/dev/null || die "plan not importable"
fi

run update --outlook-data olk
expect_rc 1 "first update: CPUU_SUCCESS"
[ -f "$RP_TMP/olk/0a1b - Autodiscover.xml" ] && die "cached Autodiscover answer for the source kept"
[ -f "$RP_TMP/olk/16/5c6d - Autodiscover.xml" ] && die "cached answer in Outlook\\16 kept"
[ -f "$RP_TMP/olk/9f8e - Autodiscover.xml" ] || die "an unrelated cached answer was deleted"
if [ $MODE = hive ]; then
	rp reg export --hive "$RP_TMP/planned.dat" --key "$K" -o "$RP_TMP/planned.reg" >/dev/null
	export_key "$K" "$RP_TMP/switched.reg"
	cmp -s "$RP_TMP/planned.reg" "$RP_TMP/switched.reg" ||
		die "the dry-run plan differs from what update wrote"
fi
expect_csv 'Outlook\t10\t0'
[ "$(field "x['smtp']")" = "$DST" ] || die "primary SMTP not switched"
[ "$(field "x['mailbox_dn']")" = "/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=c0ffee00d15c4a5e9b1e2f3a4b5c6d7e-bob.nguyen" ] ||
	die "mailbox DN not the target's"
[ "$(field "x['home_server']")" = "d4c3b2a1-0f9e-4d8c-b7a6-958473625140@target.example" ] ||
	die "home server not the target's"
[ "$(field "st['smtp']")" = "$DST" ] || die "store SMTP not switched"
field "json.dumps(st['store_entryid'])" | grep -q 'c0ffee00d15c4a5e9b1e2f3a4b5c6d7e-bob.nguyen' ||
	die "store entry ID not rebuilt for the target DN"
field "json.dumps(x)" | grep -qi 'source.example' && die "the primary account still names the source"
[ "$(field "len(d['profiles'])")" = 1 ] || die "the backup shows up as a profile"
grep -q 'ExcludeScpLookup' "$RP_TMP/out.txt" 2>/dev/null && die "update printed a plan without --dry-run"
export_key "$ADKEY" "$RP_TMP/ad.reg"
u8 "$RP_TMP/ad.reg" | grep -q '"ExcludeScpLookup"=dword:00000001' || die "ExcludeScpLookup not set"
if [ $MODE = hive ] && rp_need reglookup; then
	# An independent reader of the written hive: the profile is there and
	# its SMTP value holds the target address (UTF-16LE, %XX-escaped).
	reglookup "$RP_TMP/ntuser.dat" >"$RP_TMP/reglookup.csv" ||
		die "reglookup cannot read the switched hive"
	enc() { printf '%s' "$1" | sed 's/./&%00/g'; }
	grep "^/Software/Microsoft/Office/16.0/Outlook/Profiles/Outlook/.*/001f6641," \
		"$RP_TMP/reglookup.csv" >"$RP_TMP/smtp.csv"
	[ "$(grep -c "$(enc "SMTP:$DST")" "$RP_TMP/smtp.csv")" -eq 2 ] ||
		die "reglookup does not see the target SMTP in both sections"
	grep -q "$(enc "$SRC")" "$RP_TMP/smtp.csv" && die "reglookup still sees the source SMTP"
	grep "^/Software/reprofile/Backup/16.0/Outlook/Profile/.*/001f6641," \
		"$RP_TMP/reglookup.csv" | grep -q "$(enc "SMTP:$SRC")" ||
		die "reglookup does not see the source SMTP in the backup"
fi

[ $MODE = hive ] && cp "$RP_TMP/ntuser.dat" "$RP_TMP/switched.dat"
run update
expect_rc 0 "rerun: nothing to update"
expect_csv 'Outlook\t2\t10'
if [ $MODE = hive ]; then
	cmp -s "$RP_TMP/switched.dat" "$RP_TMP/ntuser.dat" || die "the rerun wrote to the hive"
fi

run rollback -UndoAll
expect_rc 1 "rollback"
expect_csv 'Outlook\t12\t10'
export_key "$K" "$RP_TMP/back-profile.reg"
export_key "$ADKEY" "$RP_TMP/back-ad.reg"
cmp "$RP_TMP/orig-profile.reg" "$RP_TMP/back-profile.reg" || die "rollback is not byte for byte"
cmp "$RP_TMP/orig-ad.reg" "$RP_TMP/back-ad.reg" || die "AutoDiscover settings not restored"
cmp -s "$RP_TMP/cached-orig.xml" "$RP_TMP/olk/0a1b - Autodiscover.xml" ||
	die "rollback did not restore the cached Autodiscover file"
cmp -s "$RP_TMP/cached-orig.xml" "$RP_TMP/olk/16/5c6d - Autodiscover.xml" ||
	die "rollback did not restore the cached Autodiscover file in Outlook\\16"

run update
expect_rc 1 "update after rollback"
expect_csv 'Outlook\t10\t12'

run cleanup
expect_rc 1 "cleanup"
expect_csv 'Outlook\t14\t10'
run -UndoAll
expect_rc 4 "rollback after cleanup is impossible (CPUU_SWITCH_ERR)"
expect_csv 'Outlook\t3\t14'
grep -q "cannot be rolled back: cleanup removed its backup" "$RP_TMP/run.log" ||
	die "the log does not say why rollback is impossible"
run -Cleanup
expect_rc 0 "second cleanup: nothing to clean"
echo "ok: update, rerun, rollback, update, cleanup, refused rollback ($MODE)"
