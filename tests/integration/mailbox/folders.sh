#!/bin/sh
# Scenario: `reprofile mailbox ADDRESS folders|fai FOLDER [--json]` end to end against the
# loopback MAPI/HTTP server: the MailStore URL and DN from local Autodiscover
# files (--dir) or given (--mapi-url/--dn), Basic and Bearer, text and JSON
# output checked against the fixture mailbox, Execute requests counted in
# the server's log, the associated messages of a folder (fai), and the
# failures an administrator meets (wrong password, unknown address or folder).
set -u
T="$RP_TMP"
fail() { echo "FAIL: $*"; [ -f "$T/err" ] && sed 's/^/  stderr: /' "$T/err"; [ -f "$T/server.err" ] && sed 's/^/  server: /' "$T/server.err"; exit 1; }
. "$(dirname "$0")/mapi_env.sh"
FIX="$MAPI_DIR/fixtures"
RP() {
	$RP_EMULATOR "$REPROFILE" "$@" >"$T/.rp-out" 2>"$T/.rp-err"
	rp_rc=$?
	tr -d '\r' <"$T/.rp-out"
	tr -d '\r' <"$T/.rp-err" >&2
	return $rp_rc
}
NET="--ca-file $MAPI_CA --connect-to mail.target.example:443:127.0.0.1:$MAPI_PORT --timeout 20"
DN='/o=Target Org/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=user1'
URL='https://mail.target.example/mapi/emsmdb/?MailboxId=5c1b0d3e-7a2f-4e8b-9c6d-1a2b3c4d5e6f@target.example'
nexec() { grep -c '"type": "Execute"' "$MAPI_LOG" 2>/dev/null || echo 0; }

# 1. Autodiscover files, Basic, text: one line per folder below the root.
REPROFILE_PASSWORD=Pa55-word RP mailbox user1@target.example folders --dir "$FIX/adx" \
	--user user1 $NET >"$T/out" 2>"$T/err" || fail "folders rc"
python3 - "$FIX/mailbox-user1.json" "$T/out" <<'PY' || fail "text output"
import json, sys
m = json.load(open(sys.argv[1]))
by = {f["id"]: f for f in m["folders"]}
def path(f):
    parts = []
    while f["parent"] not in (0, 1) and f.get("role") != "ipm_subtree":
        parts.append(f["name"].replace("\\", "\\\\").replace("/", "\\/"))
        f = by[f["parent"]]
    if f.get("role") == "ipm_subtree" and parts:
        return "/".join(reversed(parts))
    parts.append(f["name"])
    return "/" + "/".join(reversed(parts))
want = {}
for f in m["folders"]:
    if f["id"] == 1:
        continue
    want[path(f)] = (f.get("role", "-"), "0001-%012X" % f["id"], f.get("items", 0), f.get("assoc", 0))
got = {}
for line in open(sys.argv[2]):
    p, role, fid, items, assoc, eid = line.rstrip("\n").split("\t")
    got[p] = (role, fid, int(items), int(assoc))
    assert len(eid) == 92 and eid[8:40].upper() == m["mailbox_guid"].upper(), line
assert got == want, (sorted(got.items()), sorted(want.items()))
assert got["Inbox/Projects/Q3\\/Q4"][1] == "0001-000000000012"
assert got["Calendar"][0] == "calendar" and got["Junk Email"][0] == "junk_email"
PY
# Connect + RopLogon + one hierarchy Execute + Disconnect: 2 Executes.
[ "$(nexec)" -eq 2 ] || fail "$(nexec) Execute requests, want 2"
grep -q '"type": "Disconnect", .*"code": 0' "$MAPI_LOG" || fail "no Disconnect"

# 1b. Tables read in pages of 5 rows: the same folders, the rest of the
#     hierarchy in 3 more Executes (18 folders: 5 + 5 + 5 + 3).
cp "$T/out" "$T/out.whole"
: >"$MAPI_LOG"
echo 5 >"$MAPI_STATE/page"
REPROFILE_PASSWORD=Pa55-word RP mailbox user1@target.example folders --dir "$FIX/adx" \
	--user user1 $NET >"$T/out" 2>"$T/err" || fail "paged folders rc"
rm -f "$MAPI_STATE/page"
cmp -s "$T/out" "$T/out.whole" || fail "paged folders differ"
[ "$(nexec)" -eq 5 ] || fail "paged: $(nexec) Execute requests, want 5"

# 2. Given URL and DN, Bearer token, JSON.
: >"$MAPI_LOG"
REPROFILE_BEARER=mock-mapi-token RP mailbox user1@target.example folders --json \
	--mapi-url "$URL" --dn "$DN" $NET >"$T/out.json" 2>"$T/err" || fail "json rc"
python3 - "$T/out.json" "$MAPI_LOG" <<'PY' || fail "json output"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["address"] == "user1@target.example" and d["execute_requests"] == 2, d
assert d["mailbox_guid"].upper() == "5C1B0D3E7A2F4E8B9C6D1A2B3C4D5E6F", d
f = {x["path"]: x for x in d["folders"]}
assert f["Inbox"]["role"] == "inbox" and f["Inbox"]["items"] == 12, f["Inbox"]
assert f["Inbox"]["associated_items"] == 2 and f["Inbox"]["container_class"] == "IPF.Note"
assert f["Inbox/Projects"]["parent_folder_id"] == f["Inbox"]["folder_id"]
assert f["/Common Views"]["role"] == "common_views" and f["/Common Views"]["container_class"] is None
assert f["Inbox/Projects/Q3\\/Q4"]["depth"] == 4
auth = {json.loads(l).get("auth") for l in open(sys.argv[2])}
assert auth <= {"Bearer", ""}, auth
PY

# 3. fai: a role the logon names (no hierarchy read: 2 Executes), then a
#    path (the hierarchy first: 3 Executes); text and JSON from the fixture.
: >"$MAPI_LOG"
REPROFILE_PASSWORD=Pa55-word RP mailbox user1@target.example fai common_views --dir "$FIX/adx" \
	--user user1 $NET >"$T/fai" 2>"$T/err" || fail "fai rc"
[ "$(nexec)" -eq 2 ] || fail "fai common_views: $(nexec) Execute requests, want 2"
python3 - "$FIX/mailbox-user1.json" "$T/fai" <<'PY' || fail "fai text"
import json, sys
m = json.load(open(sys.argv[1]))
cv = [f for f in m["folders"] if f.get("role") == "common_views"][0]
want = [(x["class"], x.get("subject", "-"), "0001-%012X" % x["id"], str(x["size"])) for x in cv["fai"]]
got = [tuple(l.rstrip("\n").split("\t")[:4]) for l in open(sys.argv[2])]
assert got == want, (got, want)
for l in open(sys.argv[2]):
    eid = l.rstrip("\n").split("\t")[4]
    assert len(eid) == 140 and eid[40:44] == "0700" and eid[76:88] == "%012x" % cv["id"], eid
PY
: >"$MAPI_LOG"
REPROFILE_BEARER=mock-mapi-token RP mailbox user1@target.example fai Calendar --json \
	--mapi-url "$URL" --dn "$DN" $NET >"$T/fai.json" 2>"$T/err" || fail "fai json rc"
python3 - "$T/fai.json" <<'PY' || fail "fai json"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["folder"] == "Calendar" and d["execute_requests"] == 3, d
assert [x["message_class"] for x in d["messages"]] == ["IPM.Configuration.Calendar"], d
assert d["messages"][0]["subject"] is None and d["messages"][0]["size"] == 1024, d
PY
REPROFILE_PASSWORD=Pa55-word RP mailbox user1@target.example fai Inbox/Nothing --dir "$FIX/adx" \
	--user user1 $NET >"$T/out" 2>"$T/err" && fail "unknown folder accepted"
grep -q "^reprofile mailbox: no folder 'Inbox/Nothing' in the mailbox of 'user1@target.example'" "$T/err" ||
	fail "unknown folder message"

# 4. Failures: one clear line each, exit 1.
REPROFILE_PASSWORD=wrong RP mailbox user1@target.example folders --dir "$FIX/adx" \
	--user user1 $NET >"$T/out" 2>"$T/err" && fail "wrong password accepted"
grep -q "reprofile mailbox: MAPI/HTTP Connect to https://mail.target.example/mapi/emsmdb/.*HTTP 401" "$T/err" ||
	fail "401 message"
REPROFILE_PASSWORD=x RP mailbox nobody@other.example folders --dir "$FIX/adx" \
	--user user1 $NET >"$T/out" 2>"$T/err" && fail "unknown address accepted"
grep -q "^reprofile mailbox: " "$T/err" || fail "no message for an unknown address"
RP mailbox user1@target.example folders --mapi-url "$URL" >"$T/out" 2>"$T/err"
[ $? -eq 2 ] || fail "--mapi-url without --dn is not a usage error"
echo "ok"
