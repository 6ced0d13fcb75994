#!/bin/sh
# Scenario: CONTAB, the Outlook Address Book, through the real binary with
# the folder map of two real mailboxes: the loopback MAPI/HTTP server holds
# the source (mailbox-contab-source.json, German names, the profile's
# MailStore URL, opened with Admin/Password) and the target
# (mailbox-user1.json, opened through the sign-in check's session with
# AdminTrg/PasswordTrg); their IDs differ. Natively over a REGF hive (re-read
# by `reprofile show`, which decodes the hive file), in the Windows build
# over Wine's live registry. Checks: dry run (nothing written), update (the
# folder IDs are the target's, the store ID names the target, the miss is
# named by its path, PST folder kept), the Execute count, rollback byte for
# byte, cleanup, "skipped" (emptied), a source that cannot be opened
# (not critical: warning; critical: status 11 and nothing written).
. "$RP_SOURCE_DIR/tests/integration/switch/common.sh"
SRC=ines.keller@source.example
DST=user1@target.example
K="$PROFILES\\Outlook"
MAPI_CONFIG=$RP_SOURCE_DIR/tests/integration/mailbox/fixtures/server-contab.json
. "$RP_SOURCE_DIR/tests/integration/mailbox/update_env.sh"
netini() { # SOURCE-PASSWORD LINE... (TRG_PASSWORD: the target's)
	sp=$1
	shift
	{
		echo "[Parameters]"
		echo "SwitchList=switch.csv"
		echo "AutodiscoverExclude=srv httpredirect"
		echo "AutodiscoverTargetURL=https://target.example/autodiscover/autodiscover.xml"
		echo "CAFile=$RP_TMP/cas.pem"
		echo "Admin=ines.keller"
		echo "Password=$(protect "$sp")"
		echo "AdminTrg=user1"
		echo "PasswordTrg=$(protect "${TRG_PASSWORD:-Pa55-word}")"
		for l in "$@"; do printf "%s\n" "$l"; done
	} >"$RP_TMP/reprofile.ini"
}
log_has() {
	tr -d '\r' <"$RP_TMP/run.log" | grep -qF -- "$1" || {
		tr -d '\r' <"$RP_TMP/run.log" | grep -F "Profile 'Outlook'" >&2
		die "the log lacks: $1"
	}
}
# execs USER: Execute requests the server answered for that account.
execs() { grep '"type": "Execute"' "$MAPI_LOG" | grep -c "\"user\": \"$1\""; }
fresh() {
	load "$FIX/outlook2016-contab.reg"
	export_key "$K" "$RP_TMP/orig.reg"
	: >"$MAPI_LOG"
}
# folders: the Outlook Address Book as `reprofile show` decodes it.
folders() {
	field "[(f['folder_name'], f['display_name'], f['store_name'], f['store_entryid']['decoded'].get('mailbox_dn', f['store_entryid']['decoded'].get('kind')), f['folder_entryid']['hex'][8:40], f['folder_entryid']['hex'][-16:-4]) for f in p['contab']['folders']]"
}
# The target's mailbox GUID as its folder IDs carry it (mailbox-user1.json).
TGUID=$(python3 -c "import json,uuid; print(uuid.UUID(json.load(open('$RP_SOURCE_DIR/tests/fixtures/mailbox/mailbox-user1.json'))['mailbox_guid']).bytes_le.hex())")
TDN='/o=Target Org/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=user1'
# Counters of Contacts and Contacts/Suppliers in mailbox-user1.json.
CID=$(python3 -c "
import json
def walk(f, path):
    for c in f.get('children', []):
        p = path + [c['name']]
        if p[-2:] in (['Top of Information Store', 'Contacts'], ['Contacts', 'Suppliers']):
            print('%012x' % c['id'])
        walk(c, p)
for f in json.load(open('$RP_SOURCE_DIR/tests/fixtures/mailbox/mailbox-user1.json'))['folders']:
    walk(f, [f['name']])")
C1=$(echo "$CID" | sed -n 1p)
C2=$(echo "$CID" | sed -n 2p)
[ -n "$C1" ] && [ -n "$C2" ] || die "no Contacts/Suppliers in mailbox-user1.json"

# 1. Dry run: the plan holds the CONTAB edits; nothing is written.
fresh
netini Quelle-2025 "Features=CONTAB"
run update --dry-run
expect_rc 0 "dry run"
grep -q '"11026620"=hex' "$RP_TMP/out.txt" || die "the dry run lacks the folder list"
export_key "$K" "$RP_TMP/now.reg"
cmp -s "$RP_TMP/orig.reg" "$RP_TMP/now.reg" || die "the dry run wrote"

# 2. Update: Kontakte -> Contacts (by role), Kontakte/Suppliers ->
#    Contacts/Suppliers (by path), Kontakte/Vereine dropped (no counterpart,
#    named by its path), an ID the source does not know dropped, the PST
#    folder kept.
fresh
run update
expect_rc 1 "update"
expect_csv 'Outlook\t10\t0'
log_has "Outlook Address Book (CONTAB): 5 contact folders found, 2 pointed at the target ('Kontakte' -> 'Contacts', 'Kontakte/Suppliers' -> 'Contacts/Suppliers'), 1 left on their store ('Contacts' in 'Privat'), 2 dropped ('Kontakte/Vereine' (no counterpart in the target mailbox), 'Alt' (not in the source mailbox))"
tr -d '\r' <"$RP_TMP/run.log" | grep -q "\[Warning\] Profile 'Outlook': Outlook Address Book (CONTAB)" ||
	die "a dropped folder is not a warning"
got=$(folders)
want="[('Contacts', 'Contacts - $DST', '$DST', '$TDN', '$TGUID', '$C1'), ('Suppliers', 'Suppliers', '$DST', '$TDN', '$TGUID', '$C2'), ('Contacts', 'Contacts (Privat)', 'Privat', 'mspst', "
case $got in "$want"*) ;; *) die "Outlook Address Book after the update: $got" ;; esac
# Read once each: target logon (sign-in) + hierarchy, source logon +
# hierarchy; nothing else.
[ "$(execs user1)" -eq 2 ] || die "$(execs user1) Execute requests on the target, want 2"
[ "$(execs ines.keller)" -eq 2 ] || die "$(execs ines.keller) Execute requests on the source, want 2"
log_has "mailbox read for the features: 3 Execute requests"

# 3. Rollback: byte for byte; cleanup forgets the backup.
run rollback -UndoAll
expect_rc 1 "rollback"
export_key "$K" "$RP_TMP/back.reg"
cmp -s "$RP_TMP/orig.reg" "$RP_TMP/back.reg" || die "rollback is not byte for byte"
run update
expect_rc 1 "update again"
run cleanup
expect_rc 1 "cleanup"
run rollback -UndoAll
export_key "$K" "$RP_TMP/after.reg"
cmp -s "$RP_TMP/orig.reg" "$RP_TMP/after.reg" && die "rollback after cleanup restored the profile"

# 4. Skipped: "Outlook Address Book will become empty"; the mailbox is not
#    opened for it.
fresh
netini Quelle-2025 "Skip=CONTAB"
run update
expect_rc 1 "skip"
log_has "Outlook Address Book (CONTAB): skipped: the Outlook Address Book is emptied (5 contact folders removed)"
[ "$(field "len(p['contab']['folders'])")" = 0 ] || die "the Outlook Address Book is not empty"
[ "$(execs ines.keller)" -eq 0 ] || die "the source was opened for a skipped CONTAB"

# 5. The source refuses the source account: CONTAB cannot match the folders.
#    Not critical: a warning, the switch goes on, the list as it was.
fresh
netini wrong-password "Features=CONTAB"
run update
expect_rc 1 "source refused"
expect_csv 'Outlook\t10\t0'
log_has "the source mailbox '$SRC' cannot be read with the source account"
log_has "Outlook Address Book (CONTAB): not updated: the source mailbox's folders cannot be read"
[ "$(field "p['contab']['folders'][2]['folder_name']")" = Vereine ] || die "CONTAB changed without a folder map"

# 6. The same with Critical=CONTAB: status 11, nothing written.
fresh
netini wrong-password "Features=CONTAB" "Critical=CONTAB"
run update
expect_csv 'Outlook\t11\t0'
log_has "Outlook Address Book (CONTAB) is critical and was not processed: the source mailbox's folders cannot be read"
export_key "$K" "$RP_TMP/now.reg"
cmp -s "$RP_TMP/orig.reg" "$RP_TMP/now.reg" || die "a failed critical CONTAB wrote"

# 7. Two profiles of the user in one store: the mailboxes are read once for
#    the run (the second profile reuses the sessions, hierarchies and map).
sed 's/\\Profiles\\Outlook/\\Profiles\\Second/' "$FIX/outlook2016-contab.reg" >"$RP_TMP/second.reg"
load "$FIX/outlook2016-contab.reg" "$RP_TMP/second.reg"
: >"$MAPI_LOG"
netini Quelle-2025 "Features=CONTAB"
run update
expect_rc 1 "two profiles"
[ "$(tr -d '\r' <"$RP_TMP/run.csv" | grep -c '	10	0$')" -eq 2 ] || die "not two profiles switched"
log_has "Profile 'Second': Outlook Address Book (CONTAB): 5 contact folders found, 2 pointed at the target"
log_has "Profile 'Second': the target mailbox '$DST' was opened earlier in this run"
[ "$(execs user1)" -eq 2 ] || die "$(execs user1) Execute requests on the target for two profiles, want 2"
[ "$(execs ines.keller)" -eq 2 ] || die "$(execs ines.keller) Execute requests on the source for two profiles, want 2"

# 8. The target refuses the target account: CONTAB, which asked first, needs
#    mailbox access; the sign-in check then stops the profile (18), nothing
#    written.
fresh
TRG_PASSWORD=wrong netini Quelle-2025 "Features=CONTAB"
run update
expect_csv 'Outlook\t18\t0'
log_has "Outlook Address Book (CONTAB): needs mailbox access, not processed: the target mailbox '$DST' did not open"
log_has "Cannot open the target mailbox '$DST' for profile 'Outlook'"
[ "$(execs ines.keller)" -eq 0 ] || die "the source was opened for a refused target"
export_key "$K" "$RP_TMP/now.reg"
cmp -s "$RP_TMP/orig.reg" "$RP_TMP/now.reg" || die "a refused target was written"
echo ok
