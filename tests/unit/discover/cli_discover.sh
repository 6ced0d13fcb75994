#!/bin/sh
# Scenario: `reprofile discover` over response files and a local XML folder.
# Expected values are read from the same files with xmllint (independent of
# reprofile's parser).
set -u
fail() { echo "FAIL: $*"; exit 1; }
. "$RP_SOURCE_DIR/scripts/tools.sh"
rp_need xmllint python3
# The Windows build writes CRLF through Wine: compare text without CRs.
RP() {
	$RP_EMULATOR "$REPROFILE" "$@" >"$RP_TMP/.rp-out" 2>"$RP_TMP/.rp-err"
	rp_rc=$?
	tr -d '\r' <"$RP_TMP/.rp-out"
	tr -d '\r' <"$RP_TMP/.rp-err" >&2
	return $rp_rc
}
FIX="$RP_SOURCE_DIR/tests/fixtures/autodiscover"
mkdir -p "$RP_TMP"
xp() { xmllint --nonet --xpath "string($2)" "$1" 2>/dev/null; }
L="/*[local-name()='Autodiscover']/*[local-name()='Response']"

# 1. local folder: address file redirects to the target domain file.
out=$(RP discover ada@source.example --dir "$FIX/local") || fail "local lookup rc $?"
echo "$out" | grep -qx "redirect: addr:ada@target.example" || fail "no redirect line: $out"
want=$(xp "$FIX/local/target.example.xml" "$L/*[local-name()='User']/*[local-name()='LegacyDN']")
echo "$out" | grep -qxF "legacy_dn: $want" || fail "legacy_dn != $want"
srv=$(xp "$FIX/local/target.example.xml" "$L/*[local-name()='Account']/*[local-name()='Protocol'][*[local-name()='Type']='EXCH']/*[local-name()='Server']")
echo "$out" | grep -qxF "home_server: $srv" || fail "home_server != $srv"
echo "$out" | grep -qxF "mailbox_guid: ${srv%@*}" || fail "mailbox_guid != ${srv%@*}"

# 2. error response: exit 1, the code on stderr and stdout.
RP discover gone@source.example --dir "$FIX/local" >"$RP_TMP/o" 2>"$RP_TMP/e" && fail "gone: rc 0"
grep -q "Autodiscover error 500" "$RP_TMP/e" || fail "gone: stderr $(cat "$RP_TMP/e")"
grep -qx "error_code: 500" "$RP_TMP/o" || fail "gone: no error_code"

# 3. every response file (shared vectors when present, own fixtures): JSON
#    fields equal xmllint's reading.
files=$(ls "$FIX"/*.xml)
if [ -d "$RP_SHARED_DIR/vectors/autodiscover" ]; then
	files="$files $(ls "$RP_SHARED_DIR"/vectors/autodiscover/*/*.xml)"
else
	echo "note: shared vectors absent, only own fixtures checked"
fi
n=0
for f in $files; do
	RP discover someone@source.example --xml "$f" --json >"$RP_TMP/j.json" 2>/dev/null
	rc=$?
	code=$(xp "$f" "($L/*[local-name()='Error'] | $L/*[local-name()='Account']/*[local-name()='Error'])[1]/*[local-name()='ErrorCode']")
	if [ -n "$code" ]; then [ $rc = 1 ] || fail "$f: rc $rc with ErrorCode $code"
	else [ $rc = 0 ] || fail "$f: rc $rc"; fi
	for el in DisplayName LegacyDN AutoDiscoverSMTPAddress DeploymentId; do
		eval "u_$el=\$(xp \"\$f\" \"\$L/*[local-name()='User']/*[local-name()='$el']\")"
	done
	action=$(xp "$f" "$L/*[local-name()='Account']/*[local-name()='Action']")
	nproto=$(xp "$f" "count($L/*[local-name()='Account']/*[local-name()='Protocol'])" | tr -d ' ')
	python3 - "$RP_TMP/j.json" "$u_DisplayName" "$u_LegacyDN" "$u_AutoDiscoverSMTPAddress" \
		"$u_DeploymentId" "$action" "$nproto" "$code" <<'PY' || fail "$f: JSON differs"
import json, sys
d = json.load(open(sys.argv[1]))["response"]
def opt(s): return s if s != "" else None
exp = dict(display_name=opt(sys.argv[2]), legacy_dn=opt(sys.argv[3]),
           autodiscover_smtp_address=opt(sys.argv[4]), deployment_id=opt(sys.argv[5]),
           action=opt(sys.argv[6]))
for k, v in exp.items():
    if d[k] != v:
        sys.exit("%s: %r != %r" % (k, d[k], v))
if len(d["protocols"]) != int(float(sys.argv[7])):
    sys.exit("protocols %d != %s" % (len(d["protocols"]), sys.argv[7]))
code = sys.argv[8]
if (d["error"] or {}).get("code") != (int(code) if code else None):
    sys.exit("error code differs")
PY
	n=$((n + 1))
done
[ $n -ge 6 ] || fail "only $n files checked"

# 4. malformed input: one clear line naming the file; usage errors exit 2.
RP discover a@b.example --xml "$RP_SOURCE_DIR/tests/fixtures/bad/autodiscover/doctype-entities.xml" \
	>/dev/null 2>"$RP_TMP/e" && fail "doctype accepted"
grep -q "doctype-entities.xml: Autodiscover response has a DOCTYPE" "$RP_TMP/e" || fail "doctype msg: $(cat "$RP_TMP/e")"
RP discover >/dev/null 2>&1; [ $? = 2 ] || fail "no-arg rc"
RP discover a@b.example --xml x --dir y >/dev/null 2>&1; [ $? = 2 ] || fail "both rc"
echo "ok: $n response files checked"
