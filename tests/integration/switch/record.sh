#!/bin/sh
# The run record (issue 15, docs/report.md): every update, rollback and
# failed run leaves <log>.record.json beside the CSV, with what the run did;
# it is staged and moved like the log, never appended to another run's, and
# holds no password.
. "$(dirname "$0")/common.sh"
SRC=bob.nguyen@source.example
DST=bob.nguyen@target.example
load "$FIX/outlook2016-online.reg"
switches "$SRC=$DST"
SECRET='S3cret-Pa55-for-the-record'
BLOB=$(printf '%s\n' "$SECRET" | rp protect-password --mode host 2>/dev/null | tr -d '\r')
case $BLOB in rp1:*) ;; *) die "protect-password printed '$BLOB'" ;; esac
ini 'Admin=SOURCE\svc-migration' "Password=$BLOB"

# q FILE EXPR: a Python expression over the record d (its profile p, when
# there is exactly one), printed.
q() {
	python3 -c "
import json, sys
d = json.load(open(sys.argv[1], encoding='utf-8'))
p = d['profiles'][0] if len(d['profiles']) == 1 else None
print($2)" "$1" || die "$1 is not a JSON record"
}

# expect FILE EXPR: EXPR is true for the record FILE.
expect() {
	[ "$(q "$1" "$2")" = True ] || { cat "$1" >&2; die "$1: not ($2)"; }
}

R=$RP_TMP/run.record.json
run update
expect_rc 1 "update"
[ -f "$R" ] || die "no run record beside the CSV"
expect "$R" "d['schema'] == 1 and d['mode'] == 'update' and d['exit_code'] == 1"
expect "$R" "d['exit_bits'] == 'CPUU_SUCCESS' and d['complete'] is True"
expect "$R" "d['time'] == __import__('time').strftime('%Y-%m-%dT%H:%M:%SZ', __import__('time').gmtime($REPROFILE_FAKE_TIME))"
expect "$R" "d['host'] != '' and d['user'] != '' and d['version'] != ''"
expect "$R" "isinstance(d['duration_ms'], int) and d['duration_ms'] >= p['duration_ms'] >= 0"
expect "$R" "p['name'] == 'Outlook' and p['status'] == 10 and p['previous'] == 0"
expect "$R" "p['outlook'] == '16.0'"
expect "$R" "p['status_name'] == 'PROFILE_MODIFYING_OK' and p['previous_name'] == 'PROFILE_WAS_NOT_PROCESSED'"
expect "$R" "p['source'] == '$SRC' and p['target'] == '$DST'"
expect "$R" "[m for m in p['messages'] if m['level'] == 'Error'] == []"
# The feature report's lines are the record's feature objects.
python3 - "$R" "$RP_TMP/run.features.jsonl" <<'PY' || die "the record's features differ from the feature report"
import json, os, sys
d = json.load(open(sys.argv[1]))
got = d['profiles'][0]['features']
want = []
if os.path.exists(sys.argv[2]):
    for line in open(sys.argv[2]):
        o = json.loads(line)
        for k in ('time', 'store', 'profile', 'profile_status', 'profile_status_name'):
            del o[k]
        want.append(o)
if got != want:
    print(json.dumps(got, indent=1), json.dumps(want, indent=1), file=sys.stderr)
    sys.exit(1)
PY
for f in "$RP_TMP"/run.*; do
	grep -q -- "$SECRET" "$f" && die "$f holds the password"
	grep -q -- "${BLOB#rp1:*:}" "$f" && die "$f holds the protected password"
done

# A second run with the same log name: a record of its own, never appended.
run update
expect_rc 0 "rerun: already updated"
[ -f "$RP_TMP/run.record-2.json" ] || die "the rerun's record is not run.record-2.json"
expect "$R" "p['status'] == 10"
expect "$RP_TMP/run.record-2.json" "p['status'] == 2 and p['previous'] == 10"

run rollback
expect_rc 1 "rollback"
R3=$RP_TMP/run.record-3.json
expect "$R3" "d['mode'] == 'rollback' and p['status_name'] == 'PROFILE_RESTORE_OK'"
expect "$R3" "p['previous'] == 10 and d['exit_bits'] == 'CPUU_SUCCESS'"

# Failures: no target Autodiscover answer (not resolved, an Error line of the
# profile), and a mailbox without switch information (no switch message).
rm -f "$RP_TMP"/run.record*.json
rm -f "$RP_TMP/adx/$DST.xml"
run update
expect_rc 4 "no target answer"
expect "$R" "p['status_name'] == 'PROFILE_NOT_RESOLVED' and d['exit_bits'] == 'CPUU_SWITCH_ERR'"
expect "$R" "any(m['level'] == 'Error' and 'target mailbox' in m['text'] for m in p['messages'])"
expect "$R" "p['target'] is None and p['features'] == []"
switches "carol@source.example=carol@target.example"
rm -f "$R"
run update
expect_rc 2 "no switch information"
expect "$R" "p['status_name'] == 'PROFILE_WAS_NOT_PROCESSED' and d['exit_bits'] == 'CPUU_NO_SWITCH_MSG'"

# --dry-run writes no record.
rm -f "$R"
run update --dry-run
[ -e "$R" ] && die "--dry-run wrote a record"

# A remote log folder (//... is UNC to reprofile, a local folder to Linux):
# the record is staged in <temp>/CPUULogs and moved with the log.
if [ $MODE = hive ]; then
	mkdir -p "$RP_TMP/share" "$RP_TMP/tmp"
	# shellcheck disable=SC2086
	(cd "$RP_TMP" && TMPDIR=$RP_TMP/tmp rp update $RUNSTORE -INI reprofile.ini \
		-Log "/$RP_TMP/share/remote.log" >/dev/null 2>"$RP_TMP/err.txt")
	[ -f "$RP_TMP/share/remote.record.json" ] || die "the record was not moved to the share"
	[ -f "$RP_TMP/share/remote.csv" ] || die "the CSV was not moved to the share"
	[ -d "$RP_TMP/tmp/CPUULogs" ] || die "no staging folder $RP_TMP/tmp/CPUULogs: the run did not stage"
	ls "$RP_TMP/tmp/CPUULogs" | grep -q record && die "the record stayed in the staging folder"
	expect "$RP_TMP/share/remote.record.json" "d['mode'] == 'update'"
fi
echo "ok"
