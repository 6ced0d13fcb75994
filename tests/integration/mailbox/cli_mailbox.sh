#!/bin/sh
# Scenario: `reprofile mailbox ADDRESS folders|fai|props ... [--json]` end to end against the
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
MBOX="$RP_SOURCE_DIR/tests/fixtures/mailbox/mailbox-user1.json"
RP() {
	$RP_EMULATOR "$REPROFILE" "$@" >"$T/.rp-out" 2>"$T/.rp-err"
	rp_rc=$?
	tr -d '\r' <"$T/.rp-out"
	tr -d '\r' <"$T/.rp-err" >&2
	return $rp_rc
}
NET="--ca-file $MAPI_CA --connect-to mail.target.example:443:127.0.0.1:$MAPI_PORT --timeout 20"
DN='/o=Target Org/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=user1'
URL='https://mail.target.example/mapi/emsmdb/?MailboxId=4f2b1b1e-8c3a-4a65-9b1e-5d0c2a6f7e01@target.example'
nexec() { grep -c '"type": "Execute"' "$MAPI_LOG" 2>/dev/null || echo 0; }

# 1. Autodiscover files, Basic, text: one line per folder below the root.
REPROFILE_PASSWORD=Pa55-word RP mailbox user1@target.example folders --dir "$FIX/adx" \
	--user user1 $NET >"$T/out" 2>"$T/err" || fail "folders rc"
python3 - "$MBOX" "$T/out" <<'PY' || fail "text output"
import json, sys, uuid
m = json.load(open(sys.argv[1]))
want = {}
def walk(f, parts, ipm):
    for c in f.get("children", []):
        name = c["name"].replace("\\", "\\\\").replace("/", "\\/")
        p = parts + [name]
        sub = c.get("role") == "ipm_subtree"
        shown = "/".join(p) if ipm else "/" + "/".join(p)
        want[shown] = (c.get("role", "-"), "0001-%012X" % c["id"],
                       len(c.get("messages", [])), len(c.get("associated", [])))
        walk(c, [] if sub else p, ipm or sub)
walk(m["folders"][0], [], False)
got = {}
guid = uuid.UUID(m["mailbox_guid"]).bytes_le.hex()
for line in open(sys.argv[2]):
    p, role, fid, items, assoc, eid = line.rstrip("\n").split("\t")
    got[p] = (role, fid, int(items), int(assoc))
    assert len(eid) == 92 and eid[8:40] == guid, line
assert got == want, (sorted(got.items()), sorted(want.items()))
assert got["Inbox/Projects/Archive 2025"][1] == "0001-000000000022"
assert got["Calendar"][0] == "calendar" and got["Junk E-mail"][0] == "junk"
assert got["/Common Views"] == ("common_views", "0001-000000000009", 0, 3)
PY
# Connect + RopLogon + one hierarchy Execute + Disconnect: 2 Executes.
[ "$(nexec)" -eq 2 ] || fail "$(nexec) Execute requests, want 2"
grep -q '"type": "Disconnect", .*"code": 0' "$MAPI_LOG" || fail "no Disconnect"

# 2. Given URL and DN, Bearer token, JSON.
: >"$MAPI_LOG"
REPROFILE_BEARER=mock-mapi-token RP mailbox user1@target.example folders --json \
	--mapi-url "$URL" --dn "$DN" $NET >"$T/out.json" 2>"$T/err" || fail "json rc"
python3 - "$T/out.json" "$MAPI_LOG" <<'PY' || fail "json output"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["address"] == "user1@target.example" and d["execute_requests"] == 2, d
assert d["mailbox_guid"] == "1e1b2b4f3a8c654a9b1e5d0c2a6f7e01", d
f = {x["path"]: x for x in d["folders"]}
assert f["Inbox"]["role"] == "inbox" and f["Inbox"]["items"] == 2, f["Inbox"]
assert f["Inbox"]["associated_items"] == 1 and f["Inbox"]["container_class"] == "IPF.Note"
assert f["Inbox/Projects"]["parent_folder_id"] == f["Inbox"]["folder_id"]
assert f["/Common Views"]["role"] == "common_views" and f["/Common Views"]["container_class"] is None
# Long-term ID = DatabaseGuid (the replica GUID) + GlobalCounter + 0000.
assert f["Inbox"]["long_term_id"] == "112c7d9a4e3b504f8a6172b3c4d5e6f7" + "000000000005" + "0000", f["Inbox"]
auth = {json.loads(l).get("auth") for l in open(sys.argv[2])}
assert auth <= {"Bearer", ""}, auth
PY

# 3. fai: a role the logon names (no hierarchy read: 2 Executes), then a
#    path (the hierarchy first: 3 Executes); text and JSON from the fixture.
: >"$MAPI_LOG"
REPROFILE_PASSWORD=Pa55-word RP mailbox user1@target.example fai common_views --dir "$FIX/adx" \
	--user user1 $NET >"$T/fai" 2>"$T/err" || fail "fai rc"
[ "$(nexec)" -eq 2 ] || fail "fai common_views: $(nexec) Execute requests, want 2"
python3 - "$MBOX" "$T/fai" <<'PY' || fail "fai text"
import json, sys
m = json.load(open(sys.argv[1]))
def find(f, role):
    if f.get("role") == role:
        return f
    for c in f.get("children", []):
        r = find(c, role)
        if r:
            return r
cv = find(m["folders"][0], "common_views")
want = [(x["props"]["0x001A001F"], x["props"]["0x0037001F"]) for x in cv["associated"]]
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[2])]
assert [(r[0], r[1]) for r in rows] == want, (rows, want)
assert len({r[2] for r in rows}) == len(rows)
for r in rows:
    eid = r[4]
    assert len(eid) == 140 and eid[40:44] == "0700" and eid[76:88] == "%012x" % cv["id"], eid
PY
: >"$MAPI_LOG"
REPROFILE_BEARER=mock-mapi-token RP mailbox user1@target.example fai Inbox/Projects/../../Inbox --json \
	--mapi-url "$URL" --dn "$DN" $NET >"$T/fai.json" 2>"$T/err" && fail "a path with .. accepted"
: >"$MAPI_LOG"
REPROFILE_BEARER=mock-mapi-token RP mailbox user1@target.example fai Calendar --json \
	--mapi-url "$URL" --dn "$DN" $NET >"$T/fai.json" 2>"$T/err" || fail "fai json rc"
python3 - "$T/fai.json" <<'PY' || fail "fai json"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["folder"] == "Calendar" and d["execute_requests"] == 3, d
assert d["messages"] == [], d
PY
: >"$MAPI_LOG"
REPROFILE_BEARER=mock-mapi-token RP mailbox user1@target.example fai inbox --json \
	--mapi-url "$URL" --dn "$DN" $NET >"$T/fai.json" 2>"$T/err" || fail "fai inbox rc"
python3 - "$T/fai.json" <<'PY' || fail "fai inbox json"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["execute_requests"] == 2, d
assert [x["message_class"] for x in d["messages"]] == ["IPM.Rule.Version2.Message"], d
assert d["messages"][0]["subject"] == "" and d["messages"][0]["size"] == 0, d
PY
# 3b. props: every property of a folder, one line each / JSON (2 Executes
#     for a role of the logon).
: >"$MAPI_LOG"
REPROFILE_PASSWORD=Pa55-word RP mailbox user1@target.example props inbox --dir "$FIX/adx" \
	--user user1 $NET >"$T/props" 2>"$T/err" || fail "props rc"
[ "$(nexec)" -eq 2 ] || fail "props inbox: $(nexec) Execute requests, want 2"
grep -q '^0x3001001F [^:]*: "Inbox"$' "$T/props" || fail "props: no display name"
grep -q '^0x3613001F [^:]*: "IPF.Note"$' "$T/props" || fail "props: no container class"
grep -q '^0x36020003 [^:]*: 2 (0x00000002)$' "$T/props" || fail "props: no content count 2"
REPROFILE_BEARER=mock-mapi-token RP mailbox user1@target.example props Inbox/Projects --json \
	--mapi-url "$URL" --dn "$DN" $NET >"$T/props.json" 2>"$T/err" || fail "props json rc"
python3 - "$T/props.json" <<'PY' || fail "props json"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["folder"] == "Inbox/Projects" and d["execute_requests"] == 3, d
v = {p["tag"]: p for p in d["properties"]}
assert v[0x3001001F]["value"] == "Projects", v[0x3001001F]
assert v[0x3613001F]["value"] == "IPF.Note", v[0x3613001F]
assert v[0x36020003]["value"] == 0, v[0x36020003]
PY
# props ENTRYID: a folder named by the hex entry ID that `folders` lists.
REPROFILE_BEARER=mock-mapi-token RP mailbox user1@target.example folders --json \
	--mapi-url "$URL" --dn "$DN" $NET >"$T/f.json" 2>"$T/err" || fail "folders json for the entry ID"
EID=$(python3 -c "
import json, sys
print([f['entry_id'] for f in json.load(open(sys.argv[1]))['folders'] if f['path'] == 'Inbox/Projects'][0])" "$T/f.json") ||
	fail "no entry ID for Inbox/Projects"
REPROFILE_BEARER=mock-mapi-token RP mailbox user1@target.example props "$EID" --json \
	--mapi-url "$URL" --dn "$DN" $NET >"$T/props.json" 2>"$T/err" || fail "props ENTRYID rc: $(cat "$T/err")"
python3 - "$T/props.json" <<'PY' || fail "props ENTRYID json"
import json, sys
d = json.load(open(sys.argv[1]))
v = {p["tag"]: p for p in d["properties"]}
assert v[0x3001001F]["value"] == "Projects", v[0x3001001F]
PY
REPROFILE_BEARER=mock-mapi-token RP mailbox user1@target.example props "00${EID#??}ff" \
	--mapi-url "$URL" --dn "$DN" $NET >"$T/out" 2>"$T/err" && fail "an unknown entry ID accepted"
grep -q "no folder '.*' in the mailbox of 'user1@target.example'" "$T/err" || fail "unknown entry ID message"

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
