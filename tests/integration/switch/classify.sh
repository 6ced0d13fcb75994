#!/bin/sh
# Every classification status of the guide's "CPUU Return Codes" that a
# profile can get before a switch, each reached by a fixture, with the exit
# bits of "ClientProfileUpdatingUtility.exe Exit Codes".
. "$(dirname "$0")/common.sh"
P="HKEY_CURRENT_USER\\$PROFILES\\Outlook"
SRC=bob.nguyen@source.example
DST=bob.nguyen@target.example

# case NAME RC ROW: runs update and checks exit code and the CSV row.
case_() {
	run update
	expect_rc "$2" "$1"
	expect_csv "$3"
	echo "ok: $1"
}

# 1 PROFILE_IS_BACKUP: Outlook's "BACKUP OF <profile>" copies are left alone.
sed -e 's/Profiles\\Outlook/Profiles\\BACKUP OF Outlook/' "$FIX/outlook2016-online.reg" \
	>"$RP_TMP/backup-of.reg"
load "$RP_TMP/backup-of.reg"
switches "$SRC=$DST"
ini
case_ "1 backup copy" 0 'BACKUP OF Outlook\t1\t0'

# 7 PROFILE_HAS_NO_SEREVER: POP/IMAP only.
load "$FIX/outlook2016-pop-imap.reg"
ini
case_ "7 no Exchange service" 0 'Outlook\t7\t0'

# Ordinary online profile from here on.
load "$FIX/outlook2016-online.reg"
SECT=$(field "x['section']")
STORE=$(field "st['provider_uid']")
SVC=$(field "x['service_uid']")
[ -n "$SECT" ] && [ -n "$STORE" ] && [ -n "$SVC" ] || die "cannot read the fixture's sections"

# 0 PROFILE_WAS_NOT_PROCESSED + CPUU_NO_SWITCH_MSG: not on the switch list.
switches "someone.else@source.example=x@target.example"
ini
case_ "0 not switched yet" 2 'Outlook\t0\t0'

# 4 PROFILE_NOT_RESOLVED + CPUU_INVALID_SWITCH_MSG: a malformed row for it.
printf 'source,target_smtp,target_legacy_dn,target_kind\n%s,%s,,exchange-online\n' "$SRC" "$DST" \
	>"$RP_TMP/switch.csv"
case_ "4 invalid switch information" 512 'Outlook\t4\t0'

# 4 PROFILE_NOT_RESOLVED + CPUU_SWITCH_ERR: no DN and no Autodiscover answer.
printf 'source,target_smtp,target_legacy_dn,target_kind\n%s,nowhere@target.example,,o365\n' \
	"$SRC" >"$RP_TMP/switch.csv"
case_ "4 target cannot be resolved" 4 'Outlook\t4\t0'

# 24 PROFILE_NO_ACCOUNT_IS_ALLOWED_TO_SWITCH: domain not listed.
switches "$SRC=$DST"
ini "ProcessedDomainsFQDNs=other.example"
case_ "24 domain not in ProcessedDomainsFQDNs" 0 'Outlook\t24\t0'

# 8 PROFILE_UNEXPECTED_SERVICES: a service outside the default set...
extra_service "$RP_TMP/extra-service.reg" "$SVC"
load "$FIX/outlook2016-online.reg" "$RP_TMP/extra-service.reg"
ini
case_ "8 unexpected service" 0 'Outlook\t8\t0'
# ...is switched once AllowAdditionalServices names it.
ini "AllowAdditionalServices=LOTUSNOTES"
case_ "8 -> 10 with AllowAdditionalServices" 1 'Outlook\t10\t0'

# 5 PROFILE_NOT_EXCHANGE_SERVICE: no SMTP address and no mailbox DN.
snippet "$RP_TMP/no-identity.reg" \
	"[$P\\$SECT]" '"001f6641"=-' '"001e6603"=-' '"001f3001"=-' \
	"[$P\\$STORE]" '"001f6641"=-' '"001e6603"=-' '"001e660b"=-'
load "$FIX/outlook2016-online.reg" "$RP_TMP/no-identity.reg"
ini
case_ "5 no server name or mailbox DN" 0 'Outlook\t5\t0'

# 19 PROFILE_HAS_UNSUPPORTED_AUTHENTICATION: an unknown auth package.
snippet "$RP_TMP/auth.reg" "[$P\\$SECT]" '"00036619"=hex:99,00,00,00'
load "$FIX/outlook2016-online.reg" "$RP_TMP/auth.reg"
case_ "19 unsupported authentication" 4 'Outlook\t19\t0'

# 23 / 24 / 10 with two Exchange accounts.
load "$FIX/outlook2016-two-exchange.reg"
PRIMARY=$(field "x['smtp']")
OTHER=$(field "[a['smtp'] for a in p['exchange_accounts'] if not a['primary']][0]")
switches "$PRIMARY=${PRIMARY%@*}@target.example"
ini
case_ "23 several Exchange accounts, no ProcessedDomainsFQDNs" 4 'Outlook\t23\t0'
ini "ProcessedDomainsFQDNs=$(echo "$PRIMARY" | sed "s/.*@//")" "ProcessOfflineProfiles=1"
case_ "10 primary account of two switched" 1 'Outlook\t10\t0'
[ "$(field "x['smtp']")" = "${PRIMARY%@*}@target.example" ] || die "primary not switched"
[ "$(field "[a['smtp'] for a in p['exchange_accounts'] if not a['primary']][0]")" = "$OTHER" ] ||
	die "the second Exchange account was changed"

# 6 PROFILE_IS_OFFLINE, then the offline options (guide: ProcessOfflineProfiles,
# BackupOST with its free-space check, CreateRegFileForOSTRecovery).
load "$FIX/outlook2016-cached.reg"
SRC=$(field "x['smtp']")
DST=${SRC%@*}@target.example
SECT=$(field "x['section']")
switches "$SRC=$DST"
ini
case_ "6 offline profile" 0 'Outlook\t6\t0'
# 22: an OST larger than the free space of its volume (a sparse file).
truncate -s 64T "$RP_TMP/big.ost" 2>/dev/null || truncate -s 8T "$RP_TMP/big.ost"
snippet "$RP_TMP/ost.reg" "[$P\\$SECT]" "\"001f6610\"=hex:$(hexw "$RP_TMP/big.ost")"
load "$FIX/outlook2016-cached.reg" "$RP_TMP/ost.reg"
ini "ProcessOfflineProfiles=1" "BackupOST=1"
# A regression that copied the sparse file anyway must not fill the disk:
# files are capped at 64 MB for this step (SIGXFSZ ends the copy instead).
(
	ulimit -f 131072
	case_ "22 no free space for the OST backup" 4 'Outlook\t22\t0'
) || exit 1
rm -f "$RP_TMP/big.ost.reprofile-backup"
# A small OST is copied; a .reg file restores the link; the profile is switched.
rm -f "$RP_TMP/big.ost"
echo "offline folder file" >"$RP_TMP/big.ost"
ini "ProcessOfflineProfiles=1" "BackupOST=1" "CreateRegFileForOSTRecovery=1"
case_ "10 offline profile switched with OST backup" 1 'Outlook\t10\t0'
cmp "$RP_TMP/big.ost" "$RP_TMP/big.ost.reprofile-backup" || die "OST backup copy differs"
grep -q . "$RP_TMP/big.ost.reprofile-recovery.reg" || die "no OST recovery .reg file"
[ "$(field "x['ost_path']")" = "None" ] || die "the source OST is still bound to the target mailbox"

# 2 PROFILE_ALREADY_UPDATED.
case_ "2 already updated" 0 'Outlook\t2\t10'

# UseTargetOST: the rollback keeps the switched profile's OST path. With
# KeepOST the switch keeps the source OST path in the profile.
load "$FIX/outlook2016-cached.reg" "$RP_TMP/ost.reg"
ini "ProcessOfflineProfiles=1" "KeepOST=1"
case_ "10 with KeepOST" 1 'Outlook\t10\t0'
[ "$(field "x['ost_path']")" = "$RP_TMP/big.ost" ] || die "KeepOST did not keep the OST path"
snippet "$RP_TMP/target-ost.reg" "[$P\\$SECT]" "\"001f6610\"=hex:$(hexw "$RP_TMP/target.ost")"
# (Outlook would write the new OST's path after the switch; stand in for it.)
if [ $MODE = hive ]; then
	rp reg import --hive "$RP_TMP/ntuser.dat" "$RP_TMP/target-ost.reg" >/dev/null || die "import"
else
	$WINE reg import "$RP_TMP/target-ost.reg" >/dev/null 2>&1 || die "wine reg import"
fi
ini "ProcessOfflineProfiles=1" "UseTargetOST=1"
run rollback -UndoAll
expect_rc 1 "rollback with UseTargetOST"
[ "$(field "x['smtp']")" = "$SRC" ] || die "rollback did not restore the source account"
[ "$(field "x['ost_path']")" = "$RP_TMP/target.ost" ] || die "UseTargetOST did not keep the target OST"
echo "ok: KeepOST and UseTargetOST"
