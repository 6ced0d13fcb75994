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
# A mailbox: the 13 special folders, then NF-13 more spread over the IPM
# subtree two levels deep; Common Views holds NFAI associated messages.
python3 - "$NF" "$NFAI" "$T/mailbox.json" <<'PY'
import json, sys
nf, nfai, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
roles = ["root", "deferred_action", "spooler_queue", "ipm_subtree", "inbox", "outbox",
         "sent_items", "deleted_items", "common_views", "schedule", "finder", "views", "shortcuts"]
parents = {"root": 0, "ipm_subtree": 1}
f = []
for i, r in enumerate(roles):
    p = parents.get(r, 4 if r in ("inbox", "outbox", "sent_items", "deleted_items") else 1)
    f.append({"id": i + 1, "parent": p, "name": r.replace("_", " ").title(), "role": r})
f[8]["fai"] = [{"id": 0x10000 + k, "class": "IPM.Microsoft.FolderDesign.NamedView",
                "subject": "View %d" % k} for k in range(nfai)]
nid = len(f) + 1
while len(f) < nf + 1:
    parent = 4 if nid % 5 else max(14, nid - 3)
    f.append({"id": nid, "parent": parent, "name": "Project folder %04d" % nid,
              "class": "IPF.Note", "items": nid % 50, "assoc": nid % 3})
    nid += 1
json.dump({"mailbox_guid": "5c1b0d3e7a2f4e8b9c6d1a2b3c4d5e6f",
           "database_guid": "a1a2a3a4b1b2c1c2d1d2e1e2e3e4e5e6", "folders": f}, open(out, "w"))
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
URL='https://mail.target.example/mapi/emsmdb/?MailboxId=5c1b0d3e-7a2f-4e8b-9c6d-1a2b3c4d5e6f@target.example'
echo "mailbox: $NF folders, $NFAI Common Views FAI; round trip $((2 * DELAY)) ms"
for mode in chained naive; do
	: >"$MAPI_LOG"
	"$BIN" $mode "$URL" "$DN" "$MAPI_CA" "mail.target.example:443:127.0.0.1:$(cat "$T/proxy.port")" \
		user1 Pa55-word || fail "$mode"
	echo "  server saw $(wc -l <"$MAPI_LOG") HTTP requests (the first 401 probe included)"
done
