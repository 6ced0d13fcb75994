#!/bin/sh
# Scenario: `reprofile switch-message create|show` end to end against the
# loopback MAPI/HTTP server: user1 (Full Access) writes the switch message
# into the source mailbox "quelle", shows it, rewrites it (still one), adds
# the recreate message; bad arguments write nothing; Execute requests counted
# in the server's log.
set -u
T="$RP_TMP"
fail() { echo "FAIL: $*"; [ -f "$T/err" ] && sed 's/^/  stderr: /' "$T/err"; [ -f "$T/server.err" ] && sed 's/^/  server: /' "$T/server.err"; exit 1; }
. "$(dirname "$0")/mapi_env.sh"
RP() {
	$RP_EMULATOR "$REPROFILE" "$@" >"$T/.rp-out" 2>"$T/.rp-err"
	rp_rc=$?
	tr -d '\r' <"$T/.rp-out"
	tr -d '\r' <"$T/.rp-err" >&2
	return $rp_rc
}
U1='/o=Target Org/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=user1'
NET="--ca-file $MAPI_CA --connect-to mail.target.example:443:127.0.0.1:$MAPI_PORT --timeout 20 --user user1"
SRC='/o=Source Org/ou=First Administrative Group/cn=Recipients/cn=quelle'
URL='https://mail.target.example/mapi/emsmdb/?MailboxId=4f2b1b1e-8c3a-4a65-9b1e-5d0c2a6f7e01@target.example'
TDN='/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=quelle'
nexec() { n=$(grep -c '"type": "Execute"' "$MAPI_LOG" 2>/dev/null); echo "${n:-0}"; }
export REPROFILE_PASSWORD=Pa55-word

# 1. None yet: show fails with one line, exit 1.
RP switch-message show quelle@source.example --mapi-url "$URL" --dn "$SRC" --user-dn "$U1" $NET \
	>"$T/out" 2>"$T/err" && fail "show without a message succeeded"
grep -q "no switch message" "$T/err" || fail "no 'no switch message' line"

# 2. Create: RopLogon + 2 Executes.
: >"$MAPI_LOG"
RP switch-message create quelle@source.example --target-smtp quelle@contoso.onmicrosoft.com \
	--target-dn "$TDN" --o365 --mapi-url "$URL" --dn "$SRC" --user-dn "$U1" $NET >"$T/out" 2>"$T/err" ||
	fail "create rc"
grep -q "switch message created" "$T/out" || fail "create output: $(cat "$T/out")"
[ "$(nexec)" -eq 3 ] || fail "$(nexec) Execute requests for create, want 3"
RP switch-message show quelle@source.example --mapi-url "$URL" --dn "$SRC" --user-dn "$U1" $NET \
	>"$T/out" 2>"$T/err" || fail "show rc"
grep -q "target SMTP quelle@contoso.onmicrosoft.com	Microsoft 365 yes	recreate no" "$T/out" ||
	fail "show output: $(cat "$T/out")"
grep -qF "target DN $TDN" "$T/out" || fail "show DN: $(cat "$T/out")"

# 3. Rerun with the recreate message: the switch message is updated, not added.
RP switch-message create quelle@source.example --target-smtp quelle@contoso.com \
	--target-dn "$TDN" --recreate --mapi-url "$URL" --dn "$SRC" --user-dn "$U1" $NET >"$T/out" 2>"$T/err" ||
	fail "rerun rc"
grep -q "switch message updated" "$T/out" || fail "rerun output: $(cat "$T/out")"
grep -q "recreate message created" "$T/out" || fail "recreate output: $(cat "$T/out")"
# (one message of each class: checked by mailbox.switchmsg on the FAI table)
RP switch-message show quelle@source.example --mapi-url "$URL" --dn "$SRC" --user-dn "$U1" $NET \
	>"$T/out" 2>"$T/err" || fail "show rc"
grep -q "target SMTP quelle@contoso.com	Microsoft 365 no	recreate yes" "$T/out" ||
	fail "show output after rerun: $(cat "$T/out")"

# 4. A bad DN: usage-level refusal naming the property, nothing sent.
: >"$MAPI_LOG"
RP switch-message create quelle@source.example --target-smtp quelle@contoso.com \
	--target-dn quelle@contoso.com --mapi-url "$URL" --dn "$SRC" --user-dn "$U1" $NET >"$T/out" 2>"$T/err" &&
	fail "bad DN accepted"
grep -q "ReprofileTargetDN .* is not a legacyExchangeDN" "$T/err" || fail "bad DN message"
[ "$(nexec)" -eq 0 ] || fail "bad DN sent $(nexec) Execute requests"
# missing --target-dn: usage, exit 2
RP switch-message create quelle@source.example --target-smtp a@b.c --mapi-url "$URL" \
	--dn "$SRC" --user-dn "$U1" $NET >"$T/out" 2>"$T/err"
[ $? -eq 2 ] || fail "missing --target-dn: not exit 2"

# 5. Bulk: create --csv, one Connect for every row of one server, one line
#    per row, bad rows named by line and skipped, exit 1 when any row was not
#    written; the same file without its bad rows: exit 0, "updated".
NOBODY='/o=Source Org/ou=First Administrative Group/cn=Recipients/cn=nobody'
{
	echo "source,source_dn,target_smtp,target_dn,target_kind,recreate"
	echo "quelle@source.example,$SRC,quelle@contoso.com,$TDN,o365,1"
	echo "bad@source.example,$SRC,not-an-address,$TDN,exchange,0"
	echo "nobody@source.example,$NOBODY,nobody@contoso.com,$TDN,,"
	echo "again@source.example,$SRC,other@contoso.com,$TDN,exchange,0"
	echo "user1@target.example,$U1,user1@contoso.com,$TDN,exchange,0"
} >"$T/bulk.csv"
: >"$MAPI_LOG"
RP switch-message create --csv "$T/bulk.csv" --mapi-url "$URL" --user-dn "$U1" $NET >"$T/out" 2>"$T/err"
[ $? -eq 1 ] || fail "bulk with bad rows: not exit 1"
grep -q "bulk.csv:2: quelle@source.example: switch message updated, recreate message updated (Microsoft 365 target)" "$T/out" ||
	fail "bulk row 2: $(cat "$T/out")"
grep -q "bulk.csv:6: user1@target.example: switch message created" "$T/out" || fail "bulk row 6: $(cat "$T/out")"
grep -q "bulk.csv:3: target_smtp is not an SMTP address; row skipped" "$T/err" || fail "bulk row 3 not named"
grep -q "bulk.csv:4: nobody@source.example: .*; row skipped" "$T/err" || fail "bulk row 4 (no such mailbox) not named"
grep -q "bulk.csv:5: another row for this source_dn at line 2; row skipped" "$T/err" || fail "bulk row 5 not named"
grep -q "2 of 5 rows written, 1 sessions" "$T/out" || fail "bulk summary: $(cat "$T/out")"
[ "$(grep '"type": "Connect"' "$MAPI_LOG" | grep -c '"code": 0')" -eq 1 ] || fail "bulk: not one Connect"
# Logon + 2 + 2 (row 2), logon (row 4, refused), logon + 2 (row 6).
[ "$(nexec)" -eq 9 ] || fail "bulk: $(nexec) Execute requests, want 9"
RP switch-message show quelle@source.example --mapi-url "$URL" --dn "$SRC" --user-dn "$U1" $NET \
	>"$T/out" 2>"$T/err" || fail "show after bulk"
grep -q "target SMTP quelle@contoso.com	Microsoft 365 yes	recreate yes" "$T/out" || fail "show after bulk: $(cat "$T/out")"
sed -i '3,5d' "$T/bulk.csv"
RP switch-message create --csv "$T/bulk.csv" --mapi-url "$URL" --user-dn "$U1" $NET >"$T/out" 2>"$T/err" ||
	fail "bulk without bad rows: rc $? $(cat "$T/err")"
grep -q "bulk.csv:3: user1@target.example: switch message updated" "$T/out" || fail "bulk rerun: $(cat "$T/out")"
# A bad header: the whole file refused, nothing sent; usage errors exit 2.
printf 'source,target\nx@y.z,a@b.c\n' >"$T/badhdr.csv"
: >"$MAPI_LOG"
RP switch-message create --csv "$T/badhdr.csv" --mapi-url "$URL" --user-dn "$U1" $NET >"$T/out" 2>"$T/err" &&
	fail "bad header accepted"
grep -q "badhdr.csv:1: the header must be" "$T/err" || fail "bad header message: $(cat "$T/err")"
[ ! -s "$MAPI_LOG" ] || fail "a request was sent for a bad header"
RP switch-message create --csv "$T/bulk.csv" --mapi-url "$URL" $NET >"$T/out" 2>"$T/err"
[ $? -eq 2 ] || fail "--csv without --user-dn: not exit 2"
RP switch-message create quelle@source.example --csv "$T/bulk.csv" --mapi-url "$URL" --user-dn "$U1" $NET >"$T/out" 2>"$T/err"
[ $? -eq 2 ] || fail "--csv with an ADDRESS: not exit 2"
echo "ok"
