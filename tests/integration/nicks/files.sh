#!/bin/sh
# Nicks and SRS through the real binary (issue 8): the user's autocomplete
# stream and .nk2 are rewritten for migrated recipients (re-read by the
# independent reader nick_reader.py, which also checks that every row's
# companions agree), the .srs naming the source mailbox is removed, rollback
# restores all three byte for byte; Remove=Nicks deletes both nickname files;
# --dry-run writes nothing. Natively on a REGF hive whose folder is the user
# folder, in the Windows build on Wine's registry and the Wine user's real
# %LOCALAPPDATA% / %APPDATA%.
. "$(dirname "$0")/../switch/common.sh"
. "$(dirname "$0")/common_nicks.sh"
load "$FIX/outlook2016-online.reg"
switches "$SRC_SMTP=$DST_SMTP"
nicks_ini
user_files
trap cleanup_user_files EXIT

# dry run: nothing written
if [ $MODE = hive ]; then
	run update --dry-run
	expect_rc 0 "dry run"
	same_as_orig "$STREAM" "$NK2" "$SRS"
	grep -q "$STREAM_NAME" "$RP_TMP/out.txt" || die "the dry-run plan does not list the stream"
fi

run update
expect_rc 1 "update"
grep -q 'Nicknames (Nicks): 8 rows, 5 rewritten, 3 left (not migrated)' "$RP_TMP/run.log" ||
	die "no Nicknames line"
grep -q "Send/Receive settings (SRS): .*Outlook.srs removed (it names the source SMTP address (UTF-16)" \
	"$RP_TMP/run.log" || die "no SRS line"
[ -f "$SRS" ] && die "the .srs naming the source was kept"
python3 "$READER" "$STREAM" --check >"$RP_TMP/stream.txt" || {
	cat "$RP_TMP/stream.txt" >&2
	die "the independent reader rejects the rewritten stream"
}
python3 "$READER" "$NK2" --check >"$RP_TMP/nk2.txt" || die "the independent reader rejects the .nk2"
T="/o=Contoso/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn="
S="/o=Fabrikam/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn="
want() { grep -qxF "$2" "$1" || { cat "$1" >&2; die "$(basename "$1"): no row '$2'"; }; }
want "$RP_TMP/stream.txt" "0 EX ${T}alice.archer smtp=alice.archer@contoso.example weight=24576"
want "$RP_TMP/stream.txt" "1 SMTP bob.baker@contoso.example smtp=None weight=20480"
want "$RP_TMP/stream.txt" "2 EX ${S}carol smtp=carol@fabrikam.example weight=16384"
want "$RP_TMP/stream.txt" "3 CONTACT None smtp=None weight=12288"
want "$RP_TMP/stream.txt" "4 SMTP erin@outside.example smtp=None weight=8192"
want "$RP_TMP/stream.txt" "5 EX ${T}frank.foster smtp=frank.foster@contoso.example weight=4096"
want "$RP_TMP/nk2.txt" "major=10 minor=1 rows=2 extra=0"
want "$RP_TMP/nk2.txt" "0 EX ${T}alice.archer smtp=alice.archer@contoso.example weight=24576"
# rows not migrated are byte for byte the same: the stream's tail (rows 2..5
# minus frank) is compared through the reader above; the trailer exactly:
[ "$(tail -c 8 "$STREAM" | od -An -tx1)" = "$(tail -c 8 "$RP_TMP/orig/$STREAM_NAME" | od -An -tx1)" ] ||
	die "the stream's closing metadata changed"

run rollback
expect_rc 1 "rollback"
same_as_orig "$STREAM" "$NK2" "$SRS"

# Remove=Nicks: both nickname files deleted (backed up), the rollback brings
# them back.
nicks_ini "Remove=Nicks"
run update
expect_rc 1 "update with Remove=Nicks"
grep -q 'Nicknames (Nicks): 2 nickname files removed (backed up)' "$RP_TMP/run.log" ||
	die "no removal line"
[ -f "$STREAM" ] && die "Remove=Nicks kept the stream"
[ -f "$NK2" ] && die "Remove=Nicks kept the .nk2"
run rollback
expect_rc 1 "rollback after Remove=Nicks"
same_as_orig "$STREAM" "$NK2" "$SRS"

# Skip=Nicks SRS: the files stay as they are.
nicks_ini "Skip=Nicks SRS"
run update
expect_rc 1 "update with Skip"
same_as_orig "$STREAM" "$NK2" "$SRS"
run rollback
expect_rc 1 "rollback after Skip"

# A .reg store with --user-dir (natively): the same rewrite; without
# --user-dir the file-side parts are skipped with a warning.
if [ $MODE = hive ]; then
	user_files
	nicks_ini
	cp "$FIX/outlook2016-online.reg" "$RP_TMP/profile.reg"
	runreg() {
		rm -f "$RP_TMP/run.log"
		(cd "$RP_TMP" && rp update --reg profile.reg "$@" -INI reprofile.ini -Log run.log \
			>"$RP_TMP/out.txt" 2>"$RP_TMP/err.txt")
		RC=$?
	}
	runreg
	expect_rc 1 "update --reg without --user-dir"
	grep -q "Warning.*Nicknames (Nicks): the user's folders are not known" "$RP_TMP/run.log" ||
		die "no warning for the unknown user folder"
	same_as_orig "$STREAM" "$NK2" "$SRS"
	cp "$FIX/outlook2016-online.reg" "$RP_TMP/profile.reg"
	runreg --user-dir "$RP_TMP"
	expect_rc 1 "update --reg --user-dir"
	grep -q 'Nicknames (Nicks): 8 rows, 5 rewritten, 3 left' "$RP_TMP/run.log" ||
		die "--reg --user-dir: no rewrite"
	python3 "$READER" "$STREAM" --check >/dev/null || die "--reg: the reader rejects the stream"
	[ -f "$SRS" ] && die "--reg: the .srs was kept"
fi
echo "ok: Nicks and SRS on the user's files ($MODE)"
