#!/bin/sh
# NTLM: the INI's account against auth_server.py's /ntlm/ endpoint, which
# offers only NTLM and verifies the client's NTLMv2 response ([MS-NLMP] 3.3.2,
# tests/integration/auth/ntlm.py) for CORP\svc-reprofile.
if [ "$RP_PLATFORM" = windows ]; then
	echo "note: the Windows build does NTLM through SSPI, which Wine cannot exercise: skipped"
	exit 77
fi
. "$RP_SOURCE_DIR/scripts/tools.sh"
rp_need curl-config
curl-config --features | grep -qx NTLM || {
	echo "note: this libcurl has no NTLM, skipped"
	exit 77
}
. "$RP_SOURCE_DIR/tests/integration/auth/common_auth.sh"
# The server's NTLM arithmetic against RFC 1320 and [MS-NLMP] 4.2.4 first:
# a server that accepted anything would make the scenarios below worthless.
python3 "$HERE/ntlm.py" --selftest || die "ntlm.py self-test"
URL=$BASE/ntlm/autodiscover/autodiscover.xml

# 1. The right password, protected in two modes: the switch succeeds, and the
#    server verified an NTLMv2 response of exactly CORP\svc-reprofile.
for mode in unrestricted host; do
	auth_ini exchange "Admin=$CRED_USER" "Password=$(protect $mode "$CRED_PASS")" \
		"AutodiscoverTargetURL=$URL"
	run update
	expect_rc 1 "NTLM, mode $mode"
	expect_csv 'Outlook\t10\t0'
	[ "$(requests "[x.get('ntlm') for x in r]")" = "['', 'type1', 'ok:CORP\\\\svc-reprofile']" ] ||
		die "mode $mode: NTLM exchange: $(requests "[x.get('ntlm') for x in r]")"
done

# 2. The discover command with --user and REPROFILE_PASSWORD: the settings.
REPROFILE_PASSWORD=$CRED_PASS rp discover "$DST" --url "$URL" --ca-file "$RP_TMP/ca.pem" \
	--user "$CRED_USER" >"$RP_TMP/disc.txt" 2>"$RP_TMP/err.txt" || die "discover with NTLM"
grep -q "$DST" "$RP_TMP/disc.txt" || die "discover printed no settings: $(cat "$RP_TMP/disc.txt")"

# 3. A wrong password: the server rejects the NTLMv2 proof, the guide's 401
#    lines, the profile is not processed.
auth_ini exchange "Admin=$CRED_USER" "Password=$(protect unrestricted 'Wrong h0rse!')" \
	"AutodiscoverTargetURL=$URL"
run update
expect_rc 4 "NTLM, wrong password"
[ "$(requests "r[-1].get('ntlm')")" = 'bad:CORP\svc-reprofile' ] ||
	die "wrong password: $(requests "[x.get('ntlm') for x in r]")"
log_has "[TraceW] Failed to get Autodiscover response for email '$DST'. Autodiscover URL: '$URL'."
log_has "[TraceW] Custom result: 0xc01000cf, Description: HTTP status code 401 (Unauthorized) received. This response indicates that authorization has been refused for the account used to access destination, or specified credentials are invalid."
log_has "[Error] Cannot get an Autodiscover response on target. See logged errors to resolve the issue. Profile will not be processed."

# 4. Another user with the right password: refused as well.
auth_ini exchange "Admin=CORP\\someone" "Password=$(protect unrestricted "$CRED_PASS")" \
	"AutodiscoverTargetURL=$URL"
run update
expect_rc 4 "NTLM, another user"
[ "$(requests "r[-1].get('ntlm')")" = 'bad:CORP\someone' ] ||
	die "another user: $(requests "[x.get('ntlm') for x in r]")"
echo "ok: NTLM scenarios passed"
