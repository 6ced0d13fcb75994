#!/bin/sh
# Scenario: `reprofile mailbox ADDRESS resolve NAME... [--json]` end to end
# against the loopback server's NSPI endpoint over the target organisation's
# address book (tests/fixtures/mailbox/addressbook-target.json): the
# AddressBook URL from local Autodiscover files (--dir) or given
# (--mapi-url), Basic and Bearer, text and JSON, NSPI requests counted in the
# server's log (Bind, one ResolveNames for all names, Unbind), failures.
set -u
T="$RP_TMP"
fail() { echo "FAIL: $*"; [ -f "$T/err" ] && sed 's/^/  stderr: /' "$T/err"; [ -f "$T/server.err" ] && sed 's/^/  server: /' "$T/server.err"; exit 1; }
MAPI_ADDRESSBOOK="$RP_SOURCE_DIR/tests/fixtures/mailbox/addressbook-target.json"
export MAPI_ADDRESSBOOK
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
URL='https://mail.target.example/mapi/nspi/?MailboxId=5c1b0d3e-7a2f-4e8b-9c6d-1a2b3c4d5e6f@target.example'
SRC_DN='/o=Src/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn='
ok_count() { grep "\"type\": \"$1\"" "$MAPI_LOG" | grep -c '"code": 0}'; }

# 1. Autodiscover files, Basic, text: every name resolved (exit 0).
REPROFILE_PASSWORD=Pa55-word RP mailbox user1@target.example resolve \
	"alice@src.example" "X500:${SRC_DN}sales" "Carol" --dir "$FIX/adx" --user user1 $NET \
	>"$T/out" 2>"$T/err" || fail "resolve rc"
grep -q '^alice@src.example => type=user smtp=alice@tgt.example legacy_dn=/o=ExchangeLabs/.*-alice name="Alice Smith"$' "$T/out" ||
	fail "alice: $(cat "$T/out")"
grep -q "^	proxy X500:${SRC_DN}alice$" "$T/out" || fail "alice's X500 proxy"
grep -q '^X500:.*cn=sales => type=dl smtp=sales@tgt.example ' "$T/out" || fail "sales"
grep -q '^Carol => type=user smtp=carol.jorgensen@tgt.example .*name="Carol J.rgensen"$' "$T/out" || fail "carol"
[ "$(ok_count Bind)" -eq 1 ] && [ "$(ok_count ResolveNames)" -eq 1 ] && [ "$(ok_count Unbind)" -eq 1 ] ||
	fail "requests: $(cat "$MAPI_LOG")"
grep -q '"path": "/mapi/nspi/", "query": "MailboxId=5c1b0d3e' "$MAPI_LOG" || fail "not the AddressBook URL"

# 2. Given URL, Bearer, JSON; an unknown name makes exit 1 but is listed.
: >"$MAPI_LOG"
REPROFILE_BEARER=mock-mapi-token RP mailbox user1@target.example resolve dave nobody \
	--json --mapi-url "$URL" $NET >"$T/out.json" 2>"$T/err"
[ $? -eq 1 ] || fail "unknown name: exit $?"
python3 - "$T/out.json" "$MAPI_LOG" <<'PY' || fail "json output: $(cat "$T/out.json")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["address"] == "user1@target.example" and d["nspi_requests"] == 3, d
assert d["addressbook_url"].startswith("https://mail.target.example/mapi/nspi/"), d
dave, nobody = d["names"]
assert dave["status"] == "resolved" and dave["smtp"] == "dave@tgt.example", dave
assert dave["display_type"] == "user" and dave["proxies"] == ["SMTP:dave@tgt.example"], dave
assert nobody == {"name": "nobody", "status": "not found"}, nobody
auth = {json.loads(l).get("auth") for l in open(sys.argv[2])}
assert auth <= {"Bearer", ""}, auth
PY

# 3. Failures: one clear line, exit 1; a usage error, exit 2.
REPROFILE_PASSWORD=wrong RP mailbox user1@target.example resolve alice --dir "$FIX/adx" \
	--user user1 $NET >"$T/out" 2>"$T/err" && fail "wrong password accepted"
grep -q "^reprofile mailbox: .*https://mail.target.example/mapi/nspi/.*401" "$T/err" ||
	fail "401 message"
RP mailbox user1@target.example resolve --mapi-url "$URL" >"$T/out" 2>"$T/err"
[ $? -eq 2 ] || fail "resolve without a name is not a usage error"
echo "ok"
