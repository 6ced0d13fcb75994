#!/bin/sh
# Bad input to `reprofile report` (docs/report.md): a truncated record, a
# record of a future schema, a 2 GB file, a folder without read permission,
# file and folder names that are not UTF-8, a file that is not a record at
# all. Each is counted and named (stderr, JSON, page), none is fatal, and
# the good records still count. Bad arguments: one line, exit 2, no page.
set -u
: "${REPROFILE:?}" "${RP_TMP:?}" "${RP_SOURCE_DIR:?}"
[ -z "${RP_EMULATOR:-}" ] || { echo "the report is read natively"; exit 77; }
. "$RP_SOURCE_DIR/scripts/tools.sh"
rp_need python3
die() {
	echo "FAIL: $*" >&2
	[ -s "$RP_TMP/err.txt" ] && sed 's/^/  stderr: /' "$RP_TMP/err.txt" >&2
	exit 1
}
S=$RP_TMP/share
mkdir -p "$S/day1" "$S/day2/locked" "$S/$(printf 'caf\351')"
chmod 755 "$RP_TMP" "$S" "$S/day1" "$S/day2"

good() { # HOST TIME STATUS
	cat <<J
{"schema": 1, "host": "$1", "user": "u", "time": "$2", "version": "0.1.0",
 "mode": "update", "duration_ms": 10, "exit_code": 1, "exit_bits": "CPUU_SUCCESS",
 "complete": true, "profiles": [{"name": "Outlook", "outlook": "16.0", "status": $3,
 "status_name": "x", "previous": 0, "previous_name": "x", "source": null, "target": null,
 "duration_ms": 5, "features": [], "messages": []}], "messages": []}
J
}
good PC1 2026-11-18T08:00:00Z 10 >"$S/day1/pc1.record.json"
good PC2 2026-11-18T09:00:00Z 10 >"$S/day1/pc2.record-2.json"
good PC3 2026-11-18T10:00:00Z 11 >"$S/$(printf 'caf\351')/pc3.record.json"
good PC4 2026-11-18T10:00:00Z 10 >"$S/day2/locked/pc4.record.json"
good PC5 2026-11-19T08:00:00Z 10 | head -c 150 >"$S/day2/truncated.record.json"
printf '{"schema": 2, "host": "PC6", "whatever": "a newer writer"}\n' >"$S/day2/future.record.json"
good PC7 2026-11-19T08:00:00Z 10 >"$S/day2/$(printf 'bad\377name').record.json"
printf 'not json at all\n' >"$S/day2/$(printf 'x\377').record.json"
truncate -s 2G "$S/day2/huge.record.json" || die "cannot make a 2 GB sparse file"
printf 'Outlook\t10\t0\r\n' >"$S/day1/pc1.csv" # not a record: not read
chmod 000 "$S/day2/locked"
trap 'chmod 755 "$S/day2/locked" 2>/dev/null' EXIT

# A folder without read permission: root reads any folder, so as root the
# report runs as nobody (the share and the binary are world-readable).
OUT=$RP_TMP/out
mkdir -p "$OUT" && chmod 777 "$OUT"
as_user() {
	if [ "$(id -u)" -eq 0 ]; then
		rp_need setpriv
		setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
	else
		"$@"
	fi
}
as_user "$REPROFILE" report "$S" --out "$OUT/report.html" --json >"$OUT/report.json" 2>"$RP_TMP/err.txt"
rc=$?
[ $rc -eq 0 ] || die "exit $rc: the bad files must not be fatal"
[ -s "$OUT/report.html" ] || die "no page written"
for f in day2/truncated.record.json day2/future.record.json day2/huge.record.json day2/locked; do
	grep -q "not used: $S/$f: " "$RP_TMP/err.txt" || die "stderr does not name $f"
done
grep -q "not used: $S/day2/huge.record.json: 2147483648 bytes, over the size cap of 16777216 bytes: not read" "$RP_TMP/err.txt" ||
	die "the 2 GB file's line"
grep -q "not used: $S/day2/future.record.json: schema version 2 (this reader knows version 1)" "$RP_TMP/err.txt" ||
	die "the future schema's line"
grep -q "not used: $S/day2/locked: cannot list the folder (Permission denied)" "$RP_TMP/err.txt" ||
	die "the locked folder's line"
python3 - "$OUT/report.json" "$S" <<'PY' || die "the report's counts"
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
s = sys.argv[2]
f = d["files"]
# read: 3 good + truncated + future + bad-name good + x\377 + (huge: size only)
assert f["records"] == 4, f
assert f["skipped"] == 5, f
assert d["headline"]["machines"] == 4 and d["headline"]["switched"] == 3, d["headline"]
assert d["headline"]["failed"] == 1, d["headline"]
why = {x["file"]: x["reason"] for x in d["skipped"]}
assert why[s + "/day2/truncated.record.json"].startswith("not valid JSON"), why
assert why[s + "/day2/x\ufffd.record.json"].startswith("not valid JSON"), why
assert set(why) == {s + "/day2/" + n for n in ("truncated.record.json", "future.record.json",
    "huge.record.json", "locked", "x\ufffd.record.json")}, why
# a record under a non-UTF-8 folder name counts; its name is shown with U+FFFD
assert any(x["file"] == s + "/caf\ufffd/pc3.record.json" for x in d["failing"]), d["failing"]
PY
grep -q 'id="skipped-count">5<' "$OUT/report.html" || die "the page does not count 5 files not used"
grep -q "caf&#65533;\|caf$(printf '\357\277\275')" "$OUT/report.html" || die "the page does not show the non-UTF-8 name"

# Bad arguments: one line, exit 2, nothing written.
cd "$RP_TMP" || die "cd"
for args in "--since yesterday $S" "$RP_TMP/nowhere" "" "--json --csv $S" "--max-size 0 $S" "--bogus $S"; do
	# shellcheck disable=SC2086
	"$REPROFILE" report $args --out "$RP_TMP/no.html" >/dev/null 2>"$RP_TMP/err.txt"
	rc=$?
	[ $rc -eq 2 ] || die "report $args: exit $rc, want 2"
	[ -e "$RP_TMP/no.html" ] && die "report $args wrote a page"
	head -n 1 "$RP_TMP/err.txt" | grep -q "^reprofile report: " || die "report $args: no message line"
done
grep -q "no such folder" "$RP_TMP/err.txt" 2>/dev/null || true
"$REPROFILE" report "$RP_TMP/nowhere" 2>&1 | grep -q "reprofile report: $RP_TMP/nowhere: no such folder" ||
	die "a missing folder is not named"
# A page that cannot be written: exit 1, the reason.
"$REPROFILE" report "$S/day1" --out "$RP_TMP/nodir/report.html" 2>"$RP_TMP/err.txt"
rc=$?
[ $rc -eq 1 ] || die "unwritable --out: exit $rc, want 1"
grep -q "nodir/report.html.tmp: cannot write" "$RP_TMP/err.txt" || die "unwritable --out: no reason"
echo ok
