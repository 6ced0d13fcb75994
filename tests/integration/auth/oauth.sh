#!/bin/sh
# Microsoft 365 targets: the OAuth 2.0 device-code sign-in against a mock
# authority on loopback (AuthorityURL), the token sent as a Bearer to the
# target Autodiscover; pending / slow_down / expiry / refusal paths.
. "$RP_SOURCE_DIR/tests/integration/auth/common_auth.sh"
URL=$BASE/bearer/autodiscover/autodiscover.xml

# 1. Success: pending, slow_down, then the token; one sign-in for the run.
auth_ini o365 "AuthorityURL=$BASE/ok/" "AutodiscoverTargetURL=$URL"
sed -i '/^AuthorityURL=.*\/ok$/d' "$RP_TMP/reprofile.ini"
run update
expect_rc 1 "device code: success"
expect_csv 'Outlook\t10\t0'
tr -d '\r' <"$RP_TMP/err.txt" | grep -qxF "To sign in to Microsoft 365 for the target mailboxes, open https://microsoft.example/devicelogin and enter the code MOCK-OK" ||
	die "no sign-in instruction on the console"
log_has "[Info] Microsoft 365 sign-in: open https://microsoft.example/devicelogin and enter the code MOCK-OK (waiting)"
log_has "[Info] Microsoft 365 sign-in done; the token is kept in memory for this run"
python3 - "$REQ" <<'PY' || die "device-code requests"
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
paths = [x["path"] for x in r]
assert paths == ["/ok/oauth2/v2.0/devicecode"] + ["/ok/oauth2/v2.0/token"] * 3 + \
    ["/bearer/autodiscover/autodiscover.xml"], paths
dc = r[0]["form"]
# Outlook desktop's public client id (docs/authentication.md) and
# <ResourceURL>/.default offline_access with the default ResourceURL.
assert dc == {"client_id": "d3590ed6-52b3-4102-aeff-aad2292ab01c",
              "scope": "https://outlook.office365.com/.default offline_access"}, dc
for t in r[1:4]:
    assert t["form"] == {"grant_type": "urn:ietf:params:oauth:grant-type:device_code",
                         "client_id": "d3590ed6-52b3-4102-aeff-aad2292ab01c",
                         "device_code": "dc-ok"}, t
# interval 1 s, then slow_down: RFC 8628 3.5 adds 5 s before the next poll.
gaps = [r[i + 1]["time"] - r[i]["time"] for i in range(4)]
assert 0.9 <= gaps[0] < 3 and 0.9 <= gaps[1] < 3, gaps
assert 5.9 <= gaps[2] < 9, gaps
assert r[4]["auth"] == "bearer:mock-token-ok", r[4]
assert all(x["auth"] == "" for x in r[:4]), r
PY

# 2. OAuthClientID= and ResourceURL= reach the authority.
auth_ini o365 "AuthorityURL=$BASE/declined" "ResourceURL=https://outlook.office.de/" \
	"OAuthClientID=11111111-2222-3333-4444-555555555555" "AutodiscoverTargetURL=$URL"
sed -i '/^AuthorityURL=.*\/ok$/d' "$RP_TMP/reprofile.ini"
run update
expect_rc 4 "declined"
[ "$(requests "r[0]['form']['client_id'] + ' ' + r[0]['form']['scope']")" = \
	"11111111-2222-3333-4444-555555555555 https://outlook.office.de/.default offline_access" ] ||
	die "client id / scope"
log_has "[Error] Microsoft 365 sign-in failed: $BASE/declined/oauth2/v2.0/token: authorization_declined: AADSTS70000: The user declined."
log_has "Profile will not be processed."
[ "$(requests "sum(1 for x in r if 'autodiscover' in x['path'])")" = 0 ] ||
	die "Autodiscover asked without a token"

# 3. The code expires: the server says expired_token ...
auth_ini o365 "AuthorityURL=$BASE/expired" "AutodiscoverTargetURL=$URL"
sed -i '/^AuthorityURL=.*\/ok$/d' "$RP_TMP/reprofile.ini"
run update
expect_rc 4 "expired_token"
log_has "[Error] Microsoft 365 sign-in failed: $BASE/expired/oauth2/v2.0/token: the sign-in code expired before it was used (expired_token)"
# ... or its lifetime (expires_in 2) ends while the server still says pending.
auth_ini o365 "AuthorityURL=$BASE/short" "AutodiscoverTargetURL=$URL"
sed -i '/^AuthorityURL=.*\/ok$/d' "$RP_TMP/reprofile.ini"
run update
expect_rc 4 "client-side expiry"
log_has "[Error] Microsoft 365 sign-in failed: $BASE/short/oauth2/v2.0/token: the sign-in code expired after 2 seconds before it was used"
[ "$(requests "len(r)")" = 3 ] || die "short: $(requests "len(r)") requests, want devicecode + 2 polls"

# 4. The authority refuses the client.
auth_ini o365 "AuthorityURL=$BASE/badclient" "AutodiscoverTargetURL=$URL"
sed -i '/^AuthorityURL=.*\/ok$/d' "$RP_TMP/reprofile.ini"
run update
expect_rc 4 "invalid_client"
log_has "[Error] Microsoft 365 sign-in failed: $BASE/badclient/oauth2/v2.0/devicecode: invalid_client: AADSTS700016: Application not found in the directory."

# 5. A token the target does not accept: the guide's 401 lines.
auth_ini o365 "AuthorityURL=$BASE/wrongtoken" "AutodiscoverTargetURL=$URL"
sed -i '/^AuthorityURL=.*\/ok$/d' "$RP_TMP/reprofile.ini"
run update
expect_rc 4 "wrong token"
log_has "[TraceW] Custom result: 0xc01000cf, Description: HTTP status code 401 (Unauthorized) received. This response indicates that authorization has been refused for the account used to access destination, or specified credentials are invalid."
[ "$(requests "r[-1]['auth']")" = "bearer:mock-token-bad" ] || die "wrong token not sent"

# 6. Silent=1: no interactive sign-in, a clear error, no request at all.
auth_ini o365 "Silent=1" "AutodiscoverTargetURL=$URL"
run update
expect_rc 4 "Silent"
log_has "[Error] the Microsoft 365 target '$DST' needs an interactive sign-in (OAuth 2.0 device code), which Silent=1 does not allow"
[ -s "$REQ" ] && die "requests made under Silent=1"

# 7. The login's shape never decides Microsoft 365 (issue 7, 2.1): an
#    AdminTrg written user@domain is an on-premises UPN login like any other,
#    sent with Basic to a server that accepts it; no sign-in is started.
auth_ini exchange "AdminTrg=admin@target.example" \
	"PasswordTrg=$(protect host "$CRED_PASS")" "AutodiscoverTargetURL=$BASE/upn/autodiscover/autodiscover.xml"
run update
expect_rc 1 "AdminTrg UPN on premises"
expect_csv 'Outlook\t10\t0'
[ "$(requests "r[-1]['auth']")" = "basic:admin@target.example:$CRED_PASS" ] || die "UPN: Basic not sent"
[ "$(requests "sum(1 for x in r if 'oauth2' in x['path'])")" = 0 ] || die "UPN login started a sign-in"
log_has "[Info] Target account: admin@target.example (INI)"
#    What the target says does: an "exchange" row whose Autodiscover answers
#    401 with only a Bearer challenge (Exchange Online with Basic off) gets the
#    device-code sign-in, once, and the lookup is retried with the token.
auth_ini exchange "AdminTrg=admin@target.example" \
	"PasswordTrg=$(protect host "$CRED_PASS")" "AutodiscoverTargetURL=$URL"
run update
expect_rc 1 "Bearer challenge from the target"
expect_csv 'Outlook\t10\t0'
log_has "[Info] The target Autodiscover asks for a Microsoft 365 sign-in (WWW-Authenticate: Bearer) for '$DST'"
paths=$(requests "' '.join(x['path'].split('/')[-1] + '=' + x['auth'].split(':')[0] for x in r)")
# (the mock's "ok" tenant counts its polls over the whole server's life)
echo "$paths" | grep -qxE "autodiscover.xml= devicecode= (token= )+autodiscover.xml=bearer" ||
	die "Bearer challenge: requests $paths"
# 8. No switch list: SwitchSources=autodiscover finds the target in the
#    source's redirectAddr. A *.onmicrosoft.com target is Microsoft 365
#    (run_switch_from_redirect) and gets the sign-in like an o365 row; an
#    address of another domain is Exchange and gets none (its Basic endpoint
#    refuses the missing account; no Bearer challenge, so no sign-in).
O365=bob.nguyen@target.onmicrosoft.com
SURL=$BASE/open/autodiscover/autodiscover.xml
for to in "$O365" "$DST"; do
	auth_ini exchange
	target "$to"
	cat >"$RP_TMP/adx/$SRC.xml" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
<Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a">
<Account><Action>redirectAddr</Action><RedirectAddr>$to</RedirectAddr></Account></Response></Autodiscover>
EOF
	sed -i '/^SwitchList=/d' "$RP_TMP/reprofile.ini"
	TU=$URL
	[ "$to" = "$O365" ] || TU=$BASE/basic/autodiscover/autodiscover.xml
	printf '%s\n' "SwitchSources=autodiscover" "AutodiscoverSourceURL=$SURL" \
		"AutodiscoverTargetURL=$TU" >>"$RP_TMP/reprofile.ini"
	run update
	log_has "[Info] Autodiscover redirects '$SRC' to '$to' ($SURL): the mailbox is switched"
	paths=$(requests "' '.join(x['path'].split('/')[-1] for x in r)")
	if [ "$to" = "$O365" ]; then
		expect_rc 1 "Microsoft 365 target found by Autodiscover"
		expect_csv 'Outlook\t10\t0'
		[ "$(requests "r[-1]['auth'] + ' ' + r[-1]['address']")" = "bearer:mock-token-ok $O365" ] ||
			die "autodiscover o365 target: no bearer ($paths)"
		case $paths in *devicecode*token*autodiscover.xml) ;; *) die "no sign-in: $paths" ;; esac
	else
		expect_rc 4 "Exchange target found by Autodiscover"
		case $paths in *devicecode* | *token*) die "sign-in for an Exchange target: $paths" ;; esac
	fi
done
echo "ok: OAuth scenarios passed"
