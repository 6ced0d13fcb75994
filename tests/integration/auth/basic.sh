#!/bin/sh
# Accounts from the INI against an Autodiscover server that demands HTTP
# authentication: protected passwords in each mode, a wrong password (the
# guide's 401 lines), values that do not open here, the CA file.
. "$RP_SOURCE_DIR/tests/integration/auth/common_auth.sh"
URL=$BASE/basic/autodiscover/autodiscover.xml

# 1. Each encryption mode, protected and used: the switch succeeds and the
#    server saw exactly the configured account.
for mode in user host unrestricted; do
	v=$(protect $mode "$CRED_PASS") || die "protect-password --mode $mode"
	case $v in rp1:$mode:*) ;; *) die "protect-password printed '$v'" ;; esac
	auth_ini exchange "Admin=$CRED_USER" "Password=$v" "AutodiscoverTargetURL=$URL"
	run update
	expect_rc 1 "Basic, mode $mode"
	expect_csv 'Outlook\t10\t0'
	[ "$(requests "r[-1]['auth']")" = "basic:$CRED_USER:$CRED_PASS" ] || die "mode $mode: auth sent"
	log_has "[Info] Source account: $CRED_USER (INI)"
	grep -qF "$CRED_PASS" "$RP_TMP/run.log" "$RP_TMP/err.txt" && die "the password shows in the log"
done

# 2. AdminTrg/PasswordTrg win over Admin/Password for the target.
auth_ini exchange "Admin=OTHER\\nobody" "Password=$(protect host wrong)" \
	"AdminTrg=$CRED_USER" "PasswordTrg=$(protect host "$CRED_PASS")" "AutodiscoverTargetURL=$URL"
run update
expect_rc 1 "AdminTrg"
[ "$(requests "r[-1]['auth']")" = "basic:$CRED_USER:$CRED_PASS" ] || die "AdminTrg not used"

# 3. A wrong password: the guide's 401 lines, the profile is not processed.
auth_ini exchange "Admin=$CRED_USER" "Password=$(protect host 'not the password')" \
	"AutodiscoverTargetURL=$URL"
run update
expect_rc 4 "401: CPUU_SWITCH_ERR"
log_has "[TraceW] Failed to get Autodiscover response for email '$DST'. Autodiscover URL: '$URL'."
log_has "[TraceW] Custom result: 0xc01000cf, Description: HTTP status code 401 (Unauthorized) received. This response indicates that authorization has been refused for the account used to access destination, or specified credentials are invalid."
log_has "[Error] Cannot get an Autodiscover response on target. See logged errors to resolve the issue. Profile will not be processed."

# 4. No account at all: the server's 401 likewise (current user refused).
auth_ini exchange "AutodiscoverTargetURL=$URL"
run update
expect_rc 4 "no account"
[ "$(requests "r[-1]['auth']")" = "" ] || die "credentials sent without an account"

# 5. Values that do not open: one [Error] line naming the INI key, nothing
#    asked of the server, the guide's global error bit.
auth_ini exchange "Admin=$CRED_USER" "Password=0A1B2C3D4E" "AutodiscoverTargetURL=$URL"
run update
expect_rc 16 "foreign value"
log_has "reprofile.ini:6: [Parameters] Password=<hidden> (account $CRED_USER of line 5): not a password protected by reprofile: 10 hexadecimal digits, the form of a password encrypted by the original CPUU configuration wizard, whose format is not public and cannot be read here; protect the password again with \`reprofile protect-password\` (or the wizard) and put its rp1:MODE:HEX value in the INI"
[ -s "$REQ" ] && die "a request was made with an unusable password"
if [ "$RP_PLATFORM" = posix ]; then
	# Protected on "another host" (another machine id): refused in one line.
	printf 'ffffffffffffffffffffffffffffffff\n' >"$RP_TMP/other-id"
	v=$(REPROFILE_MACHINE_ID_FILE="$RP_TMP/other-id" protect host "$CRED_PASS") || die "protect"
	auth_ini exchange "Admin=$CRED_USER" "Password=$v" "AutodiscoverTargetURL=$URL"
	run update
	expect_rc 16 "other host"
	log_has "[Error] reprofile.ini:6: [Parameters] Password=<hidden> (account $CRED_USER of line 5): protected password (mode host) cannot be decrypted here: it was protected on another host, or it is damaged"
	[ "$(grep -c '\[Error\]' "$RP_TMP/run.log")" = 1 ] || die "more than one error line"
	# Another user (another per-user key folder) cannot open a user value.
	v=$(XDG_CONFIG_HOME="$RP_TMP/other-user" protect user "$CRED_PASS") || die "protect"
	auth_ini exchange "Admin=$CRED_USER" "Password=$v" "AutodiscoverTargetURL=$URL"
	run update
	expect_rc 16 "other user"
	log_has "protected password (mode user) cannot be decrypted here: it was protected by another user or on another host"
fi

# 6. TLS is verified: without CAFile the loopback certificate is refused.
#    Natively only: Wine's Schannel does not check a server certificate
#    against the system store, so under Wine the connection would succeed.
if [ "$RP_PLATFORM" = posix ]; then
	auth_ini exchange "Admin=$CRED_USER" "Password=$(protect host "$CRED_PASS")" \
		"AutodiscoverTargetURL=$URL"
	sed -i '/^CAFile=/d' "$RP_TMP/reprofile.ini"
	run update
	expect_rc 4 "no CA file"
	[ -s "$REQ" ] && die "a request got through an unverified TLS connection"
fi

# 7. The unrestricted value is AES-256-GCM under the documented fixed key
#    (nonce 12 | cipher text | tag 16, the text "rp1:unrestricted" bound):
#    an independent decryption with Python's cryptography package.
if python3 -c 'import cryptography' 2>/dev/null; then
	v=$(protect unrestricted "$CRED_PASS")
	python3 - "$v" "$CRED_PASS" <<'PY' || die "independent AES-GCM decryption"
import sys
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
blob = bytes.fromhex(sys.argv[1].split(":", 2)[2])
pt = AESGCM(b"reprofile-unrestricted-key-v1!!!").decrypt(blob[:12], blob[12:], b"rp1:unrestricted")
assert pt.decode() == sys.argv[2], pt
PY
else
	echo "note: python3-cryptography absent, independent decryption not checked"
fi
# 8. `reprofile discover --ini` resolves as update does (issue 7, 2.3): the
#    INI's CAFile (relative, from the INI's folder), its accounts with their
#    protected passwords, its URLs; it says which it used. No --url, no
#    --ca-file, no REPROFILE_PASSWORD.
auth_ini exchange "Admin=OTHER\\nobody" "Password=$(protect host wrong)" \
	"AdminTrg=$CRED_USER" "PasswordTrg=$(protect host "$CRED_PASS")" "AutodiscoverTargetURL=$URL"
mkdir -p "$RP_TMP/elsewhere"
(cd "$RP_TMP/elsewhere" && rp discover "$DST" --ini ../reprofile.ini >"$RP_TMP/d.out" 2>"$RP_TMP/d.err") ||
	die "discover --ini: $(cat "$RP_TMP/d.err")"
tr -d '\r' <"$RP_TMP/d.out" >"$RP_TMP/d.txt"
grep -qxF "source: $URL" "$RP_TMP/d.txt" || die "discover --ini: not answered by AutodiscoverTargetURL"
for l in "settings: ../reprofile.ini" "ca_file: ../ca.pem" "target_account: $CRED_USER"; do
	grep -qxF "$l" "$RP_TMP/d.txt" || die "discover --ini does not say '$l': $(cat "$RP_TMP/d.txt")"
done
grep -qF "[Info] Target account: $CRED_USER (INI)" "$RP_TMP/d.err" || die "discover --ini: no account line"
[ "$(requests "r[-1]['auth']")" = "basic:$CRED_USER:$CRED_PASS" ] || die "discover --ini: AdminTrg not used"
grep -qF "$CRED_PASS" "$RP_TMP/d.out" "$RP_TMP/d.err" && die "discover shows the password"
# 9. Requests (issue 7, 2.7), counted in the server's log: a switch with the
#    source check and the target lookup on one Basic host. The first request
#    of the run learns the scheme (401); every later one sends the
#    credentials at once; the source and target lookups share one TLS
#    connection (libcurl share interface).
auth_ini exchange "Admin=$CRED_USER" "Password=$(protect host "$CRED_PASS")" \
	"AutodiscoverSourceURL=$URL" "AutodiscoverTargetURL=$URL"
SRCDN=$(field "x['mailbox_dn']")
sed -e "s#<LegacyDN>[^<]*</LegacyDN>#<LegacyDN>$SRCDN</LegacyDN>#" \
	-e "s/ada@source.example/$SRC/g" "$RP_SOURCE_DIR/tests/fixtures/autodiscover/onprem-source.xml" \
	>"$RP_TMP/adx/$SRC.xml"
run update
expect_rc 1 "source and target on one Basic host"
got=$(requests "' '.join(x['address'].split('.')[1].split('@')[1] + '=' + x['auth'].split(':')[0] for x in r)")
[ "$got" = "source= source=basic target=basic" ] ||
	die "requests: '$got', want the source's 401, then Basic at once for the target"
[ "$(requests "len(set(x['peer'] for x in r))")" = 1 ] ||
	die "$(requests "len(set(x['peer'] for x in r))") connections, want 1 shared by both sides"
rm -f "$RP_TMP/adx/$SRC.xml"
echo "ok: basic authentication scenarios passed"
