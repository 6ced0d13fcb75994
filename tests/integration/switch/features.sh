#!/bin/sh
# The guide's feature switches (Features= / Skip= / Critical= / Remove=) and
# the AddBoxes and UserNames features, through the real binary: natively on a REGF hive
# (re-read by `reprofile show`, which decodes the hive file), in the Windows
# build on Wine's live registry. Each case checks the exit code, the CSV
# row, the log line per feature, the JSON Lines report and the profile.
. "$(dirname "$0")/common.sh"
K="$PROFILES\\Outlook"
SRC=olga.berg@source.example
DST=olga.berg@target.example
TDN='/o=TargetOrg/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients'
# legacyExchangeDN prefix of the target Autodiscover answers (target()).
ADN='/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=c0ffee00d15c4a5e9b1e2f3a4b5c6d7e'

# The recipient map: three shared mailboxes migrated (one keyed by SMTP
# address only, as a CSV often is), legacy.box not migrated.
cat >"$RP_TMP/map.csv" <<EOF
source,target_legacy_dn,target_smtp,display_name,kind
support@source.example,$TDN/cn=support,support@target.example,Support,mailbox
sales@source.example,$TDN/cn=sales,sales@target.example,Sales,mailbox
hr@source.example,$TDN/cn=hr,hr@target.example,HR,mailbox
EOF
switches "$SRC=$DST"
# support's owner has a target Autodiscover answer; sales and hr come from
# the map alone.
target support@target.example

fresh() {
	load "$FIX/outlook2016-addboxes.reg"
	export_key "$K" "$RP_TMP/orig.reg"
	rm -f "$RP_TMP/run.features.jsonl"
}

# 1. Default (all features): AddBoxes moves the migrated owners' mailboxes
#    and the archive, leaves legacy.box on the source; mailbox features
#    report that they need mailbox access.
fresh
ini "[Directory]" "DirectoryCSV=map.csv"
run update
expect_rc 1 "update with AddBoxes"
expect_csv 'Outlook\t10\t0'
log_has "Additional mailboxes (AddBoxes): 5 found, support@source.example moved to the target (support@target.example), sales@source.example moved to the target (sales@target.example, from the recipient map), hr@source.example moved to the target (hr@target.example, from the recipient map), legacy.box@source.example left on the source, the online archive moved with the user"
log_has "Rules (Rules): needs mailbox access, not processed"
log_has "Other users' folders (OtherUsersFolders): needs mailbox access, not processed"
got=$(field "sorted((s['kind'], s['smtp'], s['mailbox_dn']) for s in p['stores'] if s['kind'] in ('delegate', 'archive'))")
want="[('archive', '$DST', '$ADN-olga.berg'), ('delegate', 'hr@target.example', '$TDN/cn=hr'), ('delegate', 'legacy.box@source.example', '/o=SourceOrg/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=legacy.box'), ('delegate', 'sales@target.example', '$TDN/cn=sales'), ('delegate', 'support@target.example', '$ADN-support')]"
[ "$got" = "$want" ] || die "additional mailboxes after the update: $got"
# The store entry IDs keep their form (v3, v2, v1) and name the target.
got=$(field "[(s['smtp'], s['store_entryid']['decoded']['tail_version'], s['store_entryid']['decoded']['mailbox_dn']) for s in p['stores'] if s['kind'] == 'delegate']")
want="[('support@target.example', 3, '$ADN-support'), ('sales@target.example', 2, '$TDN/cn=sales'), ('hr@target.example', 0, '$TDN/cn=hr'), ('legacy.box@source.example', 3, '/o=SourceOrg/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=legacy.box')]"
[ "$got" = "$want" ] || die "store entry IDs after the update: $got"
# support's DN and server come from its owner's target Autodiscover answer
# (which wins over the map).
got=$(field "[s['server'] for s in p['stores'] if s['smtp'] == 'support@target.example'][0]")
case $got in *@target.example) ;; *) die "support's server is not the target's: $got" ;; esac
got=$(report "(r['AddBoxes']['status'], r['AddBoxes']['found'], r['AddBoxes']['changed'], r['AddBoxes']['kept'], r['AddBoxes']['profile_status'], r['Rules']['status'], r['OtherUsersFolders']['status'], r['Services']['status'], len(r))")
[ "$got" = "('done', 5, 4, 1, 10, 'needs_mailbox', 'needs_mailbox', 'done', 20)" ] || die "report: $got"
run rollback -UndoAll
expect_rc 1 "rollback"
export_key "$K" "$RP_TMP/back.reg"
cmp -s "$RP_TMP/orig.reg" "$RP_TMP/back.reg" || die "rollback is not byte for byte"
echo "ok: AddBoxes processed, report written, rollback byte for byte"

# 2. --dry-run: the same log lines (on stderr), no report, nothing written.
fresh
run update --dry-run
expect_rc 0 "dry run"
grep -qF "Rules (Rules): needs mailbox access" "$RP_TMP/err.txt" || die "dry run lacks the mailbox line"
grep -qF "; AddBoxes: store entry ID rebuilt for the target" "$RP_TMP/out.txt" || die "dry run lacks AddBoxes edits"
[ -e "$RP_TMP/run.features.jsonl" ] && die "dry run wrote a report"
export_key "$K" "$RP_TMP/now.reg"
cmp -s "$RP_TMP/orig.reg" "$RP_TMP/now.reg" || die "dry run changed the profile"
echo "ok: dry run"

# 3. Skip=AddBoxes: the guide's "When skipped": the list is empty.
fresh
ini "Skip=AddBoxes" "[Directory]" "DirectoryCSV=map.csv"
run update
expect_rc 1 "Skip=AddBoxes"
log_has "Additional mailboxes (AddBoxes): 5 found, removed from the profile"
got=$(field "[s['kind'] for s in p['stores']]")
[ "$got" = "['mailbox', 'public-folders']" ] || die "stores after Skip=AddBoxes: $got"
got=$(field "[pr['uid'] for pr in p['providers'] if not pr['present']]")
[ "$got" = "[]" ] || die "dangling providers after Skip=AddBoxes: $got"
[ "$(report "(r['AddBoxes']['mode'], r['AddBoxes']['status'], r['AddBoxes']['removed'])")" = "('skip', 'skipped', 5)" ] ||
	die "report for Skip=AddBoxes"
run rollback -UndoAll
export_key "$K" "$RP_TMP/back.reg"
cmp -s "$RP_TMP/orig.reg" "$RP_TMP/back.reg" || die "rollback after Skip is not byte for byte"
echo "ok: Skip=AddBoxes"

# 4. Features=Rules: only Rules is processed; every other feature is
#    skipped (AddBoxes too: the list is emptied).
fresh
ini "Features=Rules" "[Directory]" "DirectoryCSV=map.csv"
run update
expect_rc 1 "Features=Rules"
[ "$(report "(r['Rules']['mode'], r['AddBoxes']['mode'], r['CONTAB']['mode'])")" = "('process', 'skip', 'skip')" ] ||
	die "report for Features=Rules"
echo "ok: Features=Rules"

# 5. Features= and Skip= together: a configuration error, nothing written.
fresh
ini "Features=Rules" "Skip=AddBoxes"
run update
[ "$RC" -ne 0 ] && [ "$RC" -ne 1 ] || die "Features with Skip accepted ($RC)"
grep -qF "cannot be used together with" "$RP_TMP/err.txt" || die "no line names the conflict"
export_key "$K" "$RP_TMP/now.reg"
cmp -s "$RP_TMP/orig.reg" "$RP_TMP/now.reg" || die "a rejected INI changed the profile"
echo "ok: Features with Skip rejected"

# 6. AddBoxes without a recipient map: not critical -> a warning, the switch
#    goes on without AddBoxes' edits; critical -> status 11, exit bit 4, one
#    Error line naming the feature, the profile untouched.
fresh
ini
run update
expect_rc 1 "AddBoxes failing, not critical"
expect_csv 'Outlook\t10\t0'
log_has "[Warning] Profile 'Outlook': Additional mailboxes (AddBoxes): not updated: no recipient map"
got=$(field "sorted(s['smtp'] for s in p['stores'] if s['kind'] == 'delegate')")
[ "$got" = "['hr@source.example', 'legacy.box@source.example', 'sales@source.example', 'support@source.example']" ] ||
	die "a failed AddBoxes changed additional mailboxes: $got"
run rollback -UndoAll
fresh
ini "Critical=AddBoxes"
run update
expect_rc 4 "AddBoxes failing, critical"
expect_csv 'Outlook\t11\t0'
log_has "[Error] Profile 'Outlook' is not updated: Additional mailboxes (AddBoxes) is critical and was not processed: no recipient map"
[ "$(report "(r['AddBoxes']['status'], r['AddBoxes']['critical'], r['AddBoxes']['profile_status_name'])")" = "('failed', True, 'PROFILE_MODIFYING_FAILED')" ] ||
	die "report for the critical failure"
export_key "$K" "$RP_TMP/now.reg"
cmp -s "$RP_TMP/orig.reg" "$RP_TMP/now.reg" || die "a critical failure changed the profile"
echo "ok: Critical=AddBoxes"

# 7. Critical=Rules: Rules needs mailbox access, which this version does not
#    have: a critical feature that cannot be updated leaves the profile.
fresh
ini "Critical=Rules" "[Directory]" "DirectoryCSV=map.csv"
run update
expect_rc 4 "Critical=Rules"
expect_csv 'Outlook\t11\t0'
log_has "Rules (Rules) is critical and was not processed: needs mailbox access"
export_key "$K" "$RP_TMP/now.reg"
cmp -s "$RP_TMP/orig.reg" "$RP_TMP/now.reg" || die "Critical=Rules changed the profile"
# ... but a critical feature that is skipped is not processed, so no failure.
ini "Critical=Rules" "Skip=Rules" "[Directory]" "DirectoryCSV=map.csv"
run update
expect_rc 1 "Critical=Rules with Skip=Rules"
echo "ok: Critical=Rules"

# 8. Remove=Nicks: Nicks is handled in remove mode (reported as such).
fresh
ini "Remove=Nicks" "[Directory]" "DirectoryCSV=map.csv"
run update
expect_rc 1 "Remove=Nicks"
[ "$(report "r['Nicks']['mode']")" = "remove" ] || die "Nicks is not in remove mode"
echo "ok: Remove=Nicks"

# 9. Bad input: an additional mailbox whose store entry ID is broken. One
#    line names the file, key and value; not critical: the switch goes on
#    without AddBoxes; critical: nothing is written.
for f in addbox-eid-cut-short.reg addbox-eid-v3-smtp-unterminated.reg \
	addbox-eid-dll-cut.reg addbox-eid-dn-unterminated.reg addbox-eid-v2-cut.reg \
	addbox-eid-v3-smtp-offset-past-end.reg; do
	load "$RP_SOURCE_DIR/tests/fixtures/bad/profile/$f"
	export_key "$K" "$RP_TMP/orig.reg"
	ini "[Directory]" "DirectoryCSV=map.csv"
	run update
	expect_rc 1 "$f, not critical"
	log_has "[Warning] Profile 'Outlook': Additional mailboxes (AddBoxes): not updated:"
	log_has "value '01020ffb' (store entry ID of additional mailbox '"
	log_has "') cannot be decoded"
	run rollback -UndoAll
	ini "Critical=AddBoxes" "[Directory]" "DirectoryCSV=map.csv"
	run update
	expect_rc 4 "$f, critical"
	log_has "is critical and was not processed:"
	export_key "$K" "$RP_TMP/now.reg"
	cmp -s "$RP_TMP/orig.reg" "$RP_TMP/now.reg" || die "$f: a critical failure changed the profile"
	echo "ok: bad input $f"
done

# 10. A malformed recipient map: one line naming the file and line, the
#     guide's global error bit, nothing written.
fresh
printf 'source,target_legacy_dn,target_smtp\nsupport@source.example\n' >"$RP_TMP/bad-map.csv"
ini "[Directory]" "DirectoryCSV=bad-map.csv"
run update
expect_rc 16 "bad recipient map"
log_has "Recipient map: "
tr -d '\r' <"$RP_TMP/run.log" | grep -F "bad-map.csv:2" >/dev/null || die "the line does not name bad-map.csv:2"
export_key "$K" "$RP_TMP/now.reg"
cmp -s "$RP_TMP/orig.reg" "$RP_TMP/now.reg" || die "a bad recipient map changed the profile"
echo "ok: bad recipient map"

# 10b. Recipient-map rows with a missing field (tests/fixtures/bad/directory):
#      the map parses, but gives no target legacyExchangeDN for hr's owner
#      (who has no target Autodiscover answer either), no SMTP address for
#      support's: AddBoxes fails with one line naming the owner;
#      not critical: a warning, support left as it was; critical: nothing
#      written.
for m in "map-no-target-dn.csv:legacyExchangeDN:hr" "map-no-target-smtp.csv:SMTP address:support"; do
	mf=${m%%:*}
	who=${m##*:}
	what=${m#*:}
	what=${what%:*}
	cp "$RP_SOURCE_DIR/tests/fixtures/bad/directory/$mf" "$RP_TMP/$mf"
	fresh
	ini "[Directory]" "DirectoryCSV=$mf"
	run update
	expect_rc 1 "$mf, not critical"
	log_has "[Warning] Profile 'Outlook': Additional mailboxes (AddBoxes): not updated: the recipient map gives no target $what for the owner of '$who@source.example'"
	got=$(field "sorted(s['smtp'] for s in p['stores'] if s['kind'] == 'delegate')")
	[ "$got" = "['hr@source.example', 'legacy.box@source.example', 'sales@source.example', 'support@source.example']" ] ||
		die "$mf: a failed AddBoxes changed additional mailboxes: $got"
	run rollback -UndoAll
	ini "Critical=AddBoxes" "[Directory]" "DirectoryCSV=$mf"
	run update
	expect_rc 4 "$mf, critical"
	expect_csv 'Outlook\t11\t12' # 12: rolled back before
	export_key "$K" "$RP_TMP/now.reg"
	cmp -s "$RP_TMP/orig.reg" "$RP_TMP/now.reg" || die "$mf: a critical failure changed the profile"
	echo "ok: bad map row $mf"
done

# 11. UserNames: the user renamed the shared mailbox of support ("Support
#     Team"), the archive ("My Archive") and a PST ("Old Projects").
#     Processed: the names survive the switch (AddBoxes moves support, the
#     name stays). Skipped: the names go back to the defaults (the mailboxes
#     lose theirs so that Outlook names them again, the PST is named after
#     its file). Dry run, rollback byte for byte, cleanup.
names() {
	field "sorted((s['kind'], s.get('display_name') or '') for s in p['stores'] if s['kind'] in ('delegate', 'archive', 'pst'))"
}
load "$FIX/outlook2016-usernames.reg"
export_key "$K" "$RP_TMP/orig.reg"
rm -f "$RP_TMP/run.features.jsonl"
ini "[Directory]" "DirectoryCSV=map.csv"
run update --dry-run
expect_rc 0 "UserNames dry run"
grep -qF "User names (UserNames): 7 stores, 3 renamed by the user: 'Support Team', 'My Archive', 'Old Projects' kept; folder names need mailbox access" "$RP_TMP/err.txt" ||
	die "dry run lacks the UserNames line"
export_key "$K" "$RP_TMP/now.reg"
cmp -s "$RP_TMP/orig.reg" "$RP_TMP/now.reg" || die "UserNames dry run changed the profile"
run update
expect_rc 1 "UserNames processed"
expect_csv 'Outlook\t10\t0'
log_has "User names (UserNames): 7 stores, 3 renamed by the user: 'Support Team', 'My Archive', 'Old Projects' kept; folder names need mailbox access"
got=$(names)
want="[('archive', 'My Archive'), ('delegate', 'Mailbox - hr'), ('delegate', 'Mailbox - legacy.box'), ('delegate', 'Mailbox - sales'), ('delegate', 'Support Team'), ('pst', 'Archive 2016'), ('pst', 'Old Projects')]"
[ "$got" = "$want" ] || die "names after UserNames processed: $got"
[ "$(field "[s['smtp'] for s in p['stores'] if s.get('display_name') == 'Support Team'][0]")" = support@target.example ] ||
	die "the renamed shared mailbox did not move with AddBoxes"
[ "$(report "(r['UserNames']['status'], r['UserNames']['found'], r['UserNames']['kept'])")" = "('done', 7, 3)" ] ||
	die "report for UserNames"
run rollback -UndoAll
export_key "$K" "$RP_TMP/back.reg"
cmp -s "$RP_TMP/orig.reg" "$RP_TMP/back.reg" || die "rollback after UserNames is not byte for byte"

ini "Skip=UserNames" "[Directory]" "DirectoryCSV=map.csv"
rm -f "$RP_TMP/run.features.jsonl"
run update
expect_rc 1 "Skip=UserNames"
log_has "User names (UserNames): 7 stores, 3 renamed by the user: 'Support Team', 'My Archive', 'Old Projects' reset to the default"
got=$(names)
want="[('archive', ''), ('delegate', ''), ('delegate', 'Mailbox - hr'), ('delegate', 'Mailbox - legacy.box'), ('delegate', 'Mailbox - sales'), ('pst', 'Archive 2015'), ('pst', 'Archive 2016')]"
[ "$got" = "$want" ] || die "names after Skip=UserNames: $got"
[ "$(report "(r['UserNames']['status'], r['UserNames']['changed'])")" = "('skipped', 3)" ] ||
	die "report for Skip=UserNames"
run rollback -UndoAll
export_key "$K" "$RP_TMP/back.reg"
cmp -s "$RP_TMP/orig.reg" "$RP_TMP/back.reg" || die "rollback after Skip=UserNames is not byte for byte"

# Skip=All: AddBoxes deletes the renamed mailboxes' sections, UserNames
# resets the PST; the deleted sections' names are no error.
ini "Skip=All" "[Directory]" "DirectoryCSV=map.csv"
run update
expect_rc 1 "Skip=All with renamed stores"
got=$(names)
[ "$got" = "[('pst', 'Archive 2015'), ('pst', 'Archive 2016')]" ] || die "stores after Skip=All: $got"
run cleanup
expect_rc 1 "cleanup after UserNames"
echo "ok: UserNames processed, skipped, dry run, rollback, cleanup"
