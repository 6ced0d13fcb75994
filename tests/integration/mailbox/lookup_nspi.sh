#!/bin/sh
# Scenario: the recipient map through the address books ([Directory]
# DirectorySource=nspi): the real binary's `reprofile lookup` against two
# loopback MAPI/HTTP servers, one per organisation (source o=Src, target
# o=ExchangeLabs, fixtures tests/fixtures/mailbox/addressbook-*.json).
set -u
T="$RP_TMP"
fail() {
	echo "FAIL: $*"
	for f in "$T/server.err" "$T/src-server.err"; do
		[ -s "$f" ] && sed 's/^/  server: /' "$f"
	done
	exit 1
}
FIXM="$RP_SOURCE_DIR/tests/fixtures/mailbox"
SRC_DN="/o=Src/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn="

# the target organisation: mapi_env.sh (CA, certificate, server)
MAPI_ADDRESSBOOK="$FIXM/addressbook-target.json"
export MAPI_ADDRESSBOOK
. "$(dirname "$0")/mapi_env.sh"
TGT_PORT=$MAPI_PORT
# the source organisation: a second server with the same certificate
mkdir -p "$T/src-state"
MAPI_ADDRESSBOOK="$FIXM/addressbook-source.json" python3 "$MAPI_DIR/mapi_server.py" \
	"$T/srv.pem" "$T/srv.key" "$MAPI_DIR/fixtures/server.json" "$T/src-state" \
	2>"$T/src-server.err" &
SRC_PID=$!
trap 'kill $MAPI_PID $SRC_PID 2>/dev/null' EXIT INT TERM
i=0
while [ ! -f "$T/src-state/https.port" ]; do
	i=$((i + 1))
	[ $i -gt 100 ] && fail "source server did not start"
	sleep 0.1
done
SRC_PORT=$(cat "$T/src-state/https.port")

run() {
	$RP_EMULATOR "$REPROFILE" "$@" >"$T/out" 2>"$T/err"
	rc=$?
	tr -d '\r' <"$T/out" >"$T/out.txt"
	tr -d '\r' <"$T/err" >"$T/err.txt"
	return $rc
}
CA="$MAPI_CA"
[ "$RP_PLATFORM" = windows ] && CA=$(winepath -w "$MAPI_CA" 2>/dev/null || echo "$MAPI_CA")
# real-looking names on the loopback servers (Schannel matches no IP address)
REPROFILE_CONNECT_TO="mail.source.example:443:127.0.0.1:$SRC_PORT mail.target.example:443:127.0.0.1:$TGT_PORT"
export REPROFILE_CONNECT_TO
cat >"$T/nspi.ini" <<INI
[Directory]
DirectorySource=nspi
DirectorySourceURI=https://mail.source.example/mapi/nspi/?MailboxId=5f3c2a10@src.example
DirectorySourceUser=user1
DirectorySourcePassword=Pa55-word
DirectoryTargetURI=https://mail.target.example/mapi/nspi/?MailboxId=a7e1d2c3@tgt.example
DirectoryTargetUser=user1
DirectoryTargetPassword=Pa55-word
DirectoryCAFile=$CA
DirectoryBatchSize=3
INI

# 1. every kind of key; bob was never migrated (exit 1)
run lookup --ldap-config "$T/nspi.ini" --stats "${SRC_DN}alice" "SMTP:alice@src.example" \
	"X500:/o=Legacy/ou=First Administrative Group/cn=Recipients/cn=carol" \
	"${SRC_DN}sales" "bob@src.example" "alex.green@src.example"
rc=$?
[ $rc -eq 1 ] || fail "exit $rc, want 1: $(cat "$T/err.txt")"
grep -q "^${SRC_DN}alice => kind=mailbox smtp=alice@tgt.example legacy_dn=/o=ExchangeLabs/.*-alice name=\"Alice Smith\"$" "$T/out.txt" ||
	fail "alice by DN: $(cat "$T/out.txt")"
grep -q "^alice@src.example => kind=mailbox smtp=alice@tgt.example " "$T/out.txt" ||
	fail "alice by SMTP"
grep -q "cn=carol => kind=mailbox smtp=carol.jorgensen@tgt.example .*name=\"Carol J.rgensen\"$" "$T/out.txt" ||
	fail "carol by her old X500"
grep -q "cn=sales => kind=dl smtp=sales@tgt.example" "$T/out.txt" || fail "the DL"
grep -q "^bob@src.example => not found$" "$T/out.txt" || fail "bob"
# alex.green exists in the source only (no X500, no SMTP match in the target)
grep -q "^alex.green@src.example => not found$" "$T/out.txt" || fail "alex.green"
# round trips: one Bind per address book; the resolver hands the backend
# batches of 3 keys (DirectoryBatchSize). Batch 1 (alice DN, alice SMTP,
# carol X500): source DNToMId + QueryRows, ResolveNames; target DNToMId +
# QueryRows = 5. Batch 2 (sales DN, bob, alex.green): the same 5, plus one
# target ResolveNames for bob and alex.green, not found by DN = 6.
grep -q "^lookups=6 cache_hits=0 searches=11 binds=2$" "$T/err.txt" ||
	fail "round trips: $(cat "$T/err.txt")"

# 2. JSON carries the source identity too
run lookup --ldap-config "$T/nspi.ini" --json "smtp:alice@src.example"
[ $? -eq 0 ] || fail "json: $(cat "$T/err.txt")"
python3 - "$T/out.txt" <<'PY' || fail "json: $(cat "$T/out.txt")"
import json, sys
[r] = json.load(open(sys.argv[1]))
assert r["found"] and r["target"]["smtp"] == "alice@tgt.example", r
assert r["source"]["legacy_dn"].endswith("/cn=Recipients/cn=alice"), r
assert r["source"]["smtp"] == "alice@src.example", r
PY

# 3. a wrong password: a directory error (exit 3) naming the URL
sed 's/^DirectoryTargetPassword=.*/DirectoryTargetPassword=nope/' "$T/nspi.ini" >"$T/bad.ini"
run lookup --ldap-config "$T/bad.ini" "${SRC_DN}alice"
rc=$?
[ $rc -eq 3 ] || fail "bad password: exit $rc"
grep -q "https://mail.target.example/mapi/nspi/" "$T/err.txt" || fail "bad password message: $(cat "$T/err.txt")"

# 4. an LDAP-only setting with DirectorySource=nspi is a configuration error
printf 'DirectoryAttribute=extensionAttribute1\n' >>"$T/bad.ini"
run lookup --ldap-config "$T/bad.ini" "${SRC_DN}alice"
rc=$?
[ $rc -eq 2 ] || fail "LDAP setting: exit $rc"
grep -q "DirectoryAttribute is an LDAP setting" "$T/err.txt" || fail "LDAP setting message: $(cat "$T/err.txt")"
echo "ok"
