#!/bin/sh
# A missing user folder (issue 8): the store names a user folder that does
# not exist (here `--reg FILE --user-dir DIR` with a mistyped DIR). The
# file-side parts (Nicks, SRS) fail with one Warning line each naming the
# folder, nothing is created or written there, and the switch goes on
# (status 10). With Critical=Nicks the profile is left untouched (status 11,
# exit bit 4). Without --user-dir the parts are skipped with a warning
# (nicks.files). Native only: it drives a .reg store with a POSIX path.
. "$(dirname "$0")/../switch/common.sh"
. "$(dirname "$0")/common_nicks.sh"
switches "$SRC_SMTP=$DST_SMTP"
MISSING=$RP_TMP/no-such-user
cp "$FIX/outlook2016-online.reg" "$RP_TMP/orig.reg"

runreg() {
	rm -f "$RP_TMP/run.log" "$RP_TMP/run.csv"
	(cd "$RP_TMP" && rp update --reg profile.reg --user-dir "$MISSING" "$@" -INI reprofile.ini \
		-Log run.log >"$RP_TMP/out.txt" 2>"$RP_TMP/err.txt")
	RC=$?
}
warned() {
	tr -d '\r' <"$RP_TMP/run.log" | grep -F "[Warning] Profile 'Outlook': $1: not updated:" |
		grep -qF "the user's folder '$MISSING' does not exist" || die "no warning for $1 naming the folder"
}

# Not critical: one warning per file-side feature, the switch goes on.
cp "$RP_TMP/orig.reg" "$RP_TMP/profile.reg"
nicks_ini
runreg
expect_rc 1 "missing user folder"
expect_csv 'Outlook\t10\t0'
warned "Nicknames (Nicks)"
warned "Send/Receive settings (SRS)"
[ "$(tr -d '\r' <"$RP_TMP/run.log" | grep -c "does not exist")" -eq 2 ] || die "not one line per feature"
[ -e "$MISSING" ] && die "the missing folder was created"
grep -q "$DST_SMTP" "$RP_TMP/profile.reg" 2>/dev/null ||
	python3 -c "import sys; t=open(sys.argv[1],'rb').read(); sys.exit(0 if sys.argv[2].encode('utf-16-le') in t else 1)" \
		"$RP_TMP/profile.reg" "$DST_SMTP" || die "the profile was not switched"
python3 -c "import json,sys; r=[json.loads(l) for l in open(sys.argv[1])]; s={x['feature']: x['status'] for x in r}; sys.exit(0 if s['Nicks']=='failed' and s['SRS']=='failed' else 1)" \
	"$RP_TMP/run.features.jsonl" || die "the report does not say failed for Nicks and SRS"
echo "ok: missing user folder, not critical"

# Critical=Nicks: the profile is not switched, nothing is written.
cp "$RP_TMP/orig.reg" "$RP_TMP/profile.reg"
nicks_ini "Critical=Nicks"
runreg
expect_rc 4 "missing user folder, Critical=Nicks"
expect_csv 'Outlook\t11\t0'
tr -d '\r' <"$RP_TMP/run.log" | grep -F "[Error]" | grep -F "Nicknames (Nicks) is critical" |
	grep -qF "'$MISSING' does not exist" || die "no error line naming the feature and the folder"
cmp -s "$RP_TMP/orig.reg" "$RP_TMP/profile.reg" || die "a critical failure changed the .reg store"
[ -e "$MISSING" ] && die "the missing folder was created"
echo "ok: missing user folder, Critical=Nicks"
