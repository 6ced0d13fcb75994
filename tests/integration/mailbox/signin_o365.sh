#!/bin/sh
# Scenario: the target sign-in check of a Microsoft 365 target with a Bearer
# token. The switch list names the target o365; the run signs in with the
# OAuth device-code flow against the mock authority (tests/integration/auth/
# auth_server.py, tenant "ok"), whose token also opens the target's
# Autodiscover (/bearer/...); the answer's mapiHttp MailStore URL leads to
# the loopback MAPI/HTTP server (mapi_server.py), where the account is known
# only by that token. update connects and logs on with
# "Authorization: Bearer", then switches; a token the server does not know
# is refused: status 18, nothing written.
. "$RP_SOURCE_DIR/tests/integration/auth/common_auth.sh"
URL=$BASE/bearer/autodiscover/autodiscover.xml
MAPI_DIR=$RP_SOURCE_DIR/tests/integration/mailbox
T=$RP_TMP/mapi-t
mkdir -p "$T"
fail() { die "$@"; }
auth_ini o365 "AutodiscoverTargetURL=$URL"
# The target answer names the MailStore on the MAPI server's test name.
sed -i 's#https://outlook.office365.com/mapi/#https://mail.target.example/mapi/#g' "$RP_TMP/adx/$DST.xml"
DSTDN=$(sed -n 's#.*<LegacyDN>\(.*\)</LegacyDN>.*#\1#p' "$RP_TMP/adx/$DST.xml" | head -n 1)
[ -n "$DSTDN" ] || die "no LegacyDN in the target answer"
mapi_config() { # TOKEN
	python3 - "$RP_SOURCE_DIR/tests/fixtures/mailbox" "$T" "$DSTDN" "$1" <<'PY' || die "server config"
import json, sys
fx, out, dn, token = sys.argv[1:5]
m = json.load(open(fx + "/mailbox-user1.json"))
m["dn"] = dn
json.dump(m, open(out + "/target-mailbox.json", "w"))
json.dump({"dn_prefix": "/o=ExchangeLabs", "users": [
    {"name": "ada", "password": "unused-" + token, "token": token, "dn": dn,
     "display_name": "Ada", "mailbox": out + "/target-mailbox.json"}]},
    open(out + "/server.json", "w"))
PY
}
mapi_config mock-token-ok
MAPI_CONFIG=$T/server.json
. "$MAPI_DIR/mapi_env.sh"
trap 'kill $MAPI_PID $SERVER 2>/dev/null' EXIT INT TERM
cat "$RP_TMP/ca.pem" "$MAPI_CA" >"$RP_TMP/cas.pem"
sed -i 's#^CAFile=.*#CAFile=cas.pem#' "$RP_TMP/reprofile.ini"
export REPROFILE_CONNECT_TO="mail.target.example:443:127.0.0.1:$MAPI_PORT"
NAME=$(field "p['name']")

# 1. The token opens the target mailbox: Connect + 1 Execute with Bearer.
run update
expect_rc 1 "Microsoft 365 target signed in with a token"
expect_csv "$NAME\t10\t0"
log_has "signed in to the target mailbox '$DST' (https://mail.target.example/mapi/emsmdb/?MailboxId=d4c3b2a1-0f9e-4d8c-b7a6-958473625140@target.example, Microsoft 365 token)"
python3 - "$MAPI_LOG" <<'PY' || die "MAPI/HTTP requests"
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
ok = [x for x in r if x.get("code") == 0]
assert [x["type"] for x in ok] == ["Connect", "Execute", "Disconnect"], [(x["type"], x.get("code")) for x in r]
assert all(x["auth"] == "Bearer" and x["user"] == "ada" for x in ok), ok
PY

# 2. A server that does not know the token: 18, the store as it was.
kill $MAPI_PID
wait $MAPI_PID 2>/dev/null
mapi_config another-token
rm -f "$MAPI_STATE/https.port"
python3 "$MAPI_DIR/mapi_server.py" "$T/srv.pem" "$T/srv.key" "$T/server.json" "$MAPI_STATE" 2>"$T/server.err" &
MAPI_PID=$!
i=0
while [ ! -f "$MAPI_STATE/https.port" ]; do
	i=$((i + 1))
	[ $i -gt 100 ] && die "server did not restart"
	sleep 0.1
done
export REPROFILE_CONNECT_TO="mail.target.example:443:127.0.0.1:$(cat "$MAPI_STATE/https.port")"
load "$FIX/outlook2016-online.reg"
if [ $MODE = hive ]; then cp "$RP_TMP/ntuser.dat" "$RP_TMP/before.dat"; else export_key "$PROFILES" "$RP_TMP/before.dat"; fi
run update
expect_rc 4 "token refused"
expect_csv "$NAME\t18\t0"
log_has "Cannot open the target mailbox '$DST' for profile '$NAME' with the target account of the INI"
if [ $MODE = hive ]; then cp "$RP_TMP/ntuser.dat" "$RP_TMP/now.dat"; else export_key "$PROFILES" "$RP_TMP/now.dat"; fi
cmp -s "$RP_TMP/before.dat" "$RP_TMP/now.dat" || die "the store changed after a refused token"
echo ok
