#!/bin/sh
# bench/mailbox/run.sh BUILD_DIR [FOLDERS] [FAI] [DELAY_MS]
#
# Execute requests and wall time to read a mailbox's folder hierarchy
# (FOLDERS folders, default 300) and the associated messages of its Common
# Views folder (FAI, default 30), over a link with DELAY_MS added each way
# (default 150: a 300 ms round trip), through bench/autodiscover's
# delay_proxy.py (a loopback TCP proxy that also charges one round trip per
# new connection), against the loopback MAPI/HTTP test server
# (tests/integration/mailbox/mapi_server.py). Two clients in one program
# (mbx_bench): "chained" (the ROPs after RopLogon in one Execute, as
# reprofile does) and "naive" (one ROP per Execute). Native build only.
set -eu
BUILD=$(cd "${1:?usage: run.sh BUILD_DIR [FOLDERS] [FAI] [DELAY_MS]}" && pwd)
NF=${2:-300}
NFAI=${3:-30}
DELAY=${4:-150}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=$BUILD/bench/mailbox/mbx_bench
[ -x "$BIN" ] || { echo "note: $BIN not built; mailbox benchmark not run"; exit 0; }
T=$BUILD/tmp/bench-mailbox
rm -rf "$T"
mkdir -p "$T"
fail() { echo "FAIL: $*"; exit 1; }
# A mailbox of NF folders below the root: the special folders, then more
# spread over the IPM subtree a few levels deep; Common Views holds NFAI
# associated messages (fixture format: tests/integration/mailbox/README.md).
python3 - "$NF" "$NFAI" "$T/mailbox.json" <<'PY'
import json, sys
nf, nfai, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
# The fixture format of tests/integration/mailbox/README.md.
top = ["deferred_action", "spooler_queue", "ipm_subtree", "common_views", "schedule",
       "finder", "views", "shortcuts"]
ipm = ["inbox", "outbox", "sent_items", "deleted_items"]
nid = [1]
def folder(name, role=None, **kw):
    nid[0] += 1
    f = {"id": nid[0], "name": name}
    if role:
        f["role"] = role
    f.update(kw)
    return f
root = {"id": 1, "role": "root", "name": "", "children": []}
for r in top:
    f = folder(r.replace("_", " ").title(), r)
    root["children"].append(f)
    if r == "ipm_subtree":
        f["children"] = [folder(x.replace("_", " ").title(), x, **{"class": "IPF.Note"})
                         for x in ipm]
        sub = f
    if r == "common_views":
        f["associated"] = [{"props": {"0x001A001F": "IPM.Microsoft.FolderDesign.NamedView",
                                      "0x0037001F": "View %d" % k}} for k in range(nfai)]
count = 1 + len(top) + len(ipm)
parents = [sub]
while count < nf + 1:
    p = parents[count % len(parents)]
    f = folder("Project folder %04d" % nid[0], None, **{"class": "IPF.Note"})
    p.setdefault("children", []).append(f)
    if len(parents) < 60:
        parents.append(f)
    count += 1
json.dump({"dn": "/o=Target Org/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=user1",
           "full_access": [], "mailbox_guid": "4f2b1b1e-8c3a-4a65-9b1e-5d0c2a6f7e01",
           "replid": 1, "replguid": "9a7d2c11-3b4e-4f50-8a61-72b3c4d5e6f7",
           "logon_time": [0, 0, 12, 4, 3, 12, 234, 7], "named_properties": [],
           "folders": [root]}, open(out, "w"))
PY
DN='/o=Target Org/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=user1'
printf '{"users": [{"name": "user1", "password": "Pa55-word", "dn": "%s", "mailbox": "%s"}]}\n' \
	"$DN" "$T/mailbox.json" >"$T/server.json"
MAPI_CONFIG=$T/server.json
MAPI_DIR=$ROOT/tests/integration/mailbox
set +u
. "$ROOT/tests/integration/mailbox/mapi_env.sh"
set -u
python3 "$ROOT/bench/autodiscover/delay_proxy.py" "$T" "$DELAY" "$MAPI_PORT" 2>"$T/proxy.err" &
PROXY=$!
trap 'kill $MAPI_PID $PROXY 2>/dev/null' EXIT INT TERM
i=0
while [ ! -f "$T/proxy.port" ]; do
	i=$((i + 1)); [ $i -gt 100 ] && fail "proxy did not start"
	sleep 0.1
done
URL='https://mail.target.example/mapi/emsmdb/?MailboxId=4f2b1b1e-8c3a-4a65-9b1e-5d0c2a6f7e01@target.example'
echo "mailbox: $NF folders, $NFAI Common Views FAI; round trip $((2 * DELAY)) ms"
for mode in chained naive; do
	: >"$MAPI_LOG"
	"$BIN" $mode "$URL" "$DN" "$MAPI_CA" "mail.target.example:443:127.0.0.1:$(cat "$T/proxy.port")" \
		user1 Pa55-word || fail "$mode"
	echo "  server saw $(wc -l <"$MAPI_LOG") HTTP requests (the first 401 probe included)"
done
