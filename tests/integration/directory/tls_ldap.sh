# StartTLS and ldaps:// against slapd with a CA made by this test; without
# the CA the server certificate is refused.
. "$RP_SOURCE_DIR/tests/integration/directory/common.sh"
if [ -n "$RP_EMULATOR" ]; then
	# Windows trusts its certificate store, not DirectoryCAFile
	echo "SKIP: TLS scenario needs a CA file, which the Windows build does not use"
	exit 77
fi
RP_SLAPD_TLS=1
. "$RP_SOURCE_DIR/tests/integration/directory/slapd.sh"
rp_slapd_start
ldap_ini
K=alice@source.example
EXP="alice@source.example => kind=mailbox smtp=alice@target.example"

{ cat "$RP_TMP/ldap.ini"; echo "DirectoryStartTLS=1"; echo "DirectoryCAFile=$RP_LDAP_CA"; } >"$RP_TMP/starttls.ini"
run lookup --ldap-config "$RP_TMP/starttls.ini" $K >"$RP_TMP/o1.txt" ||
	fail "StartTLS lookup"
grep -q "^$EXP" "$RP_TMP/o1.txt" || fail "StartTLS answer"

sed "s|$RP_LDAP_URI|$RP_LDAPS_URI|" "$RP_TMP/ldap.ini" >"$RP_TMP/ldaps.ini"
echo "DirectoryCAFile=$RP_LDAP_CA" >>"$RP_TMP/ldaps.ini"
run lookup --ldap-config "$RP_TMP/ldaps.ini" $K >"$RP_TMP/o2.txt" ||
	fail "ldaps lookup"
grep -q "^$EXP" "$RP_TMP/o2.txt" || fail "ldaps answer"

# no CA: the self-made server certificate must not be trusted
{ cat "$RP_TMP/ldap.ini"; echo "DirectoryStartTLS=1"; echo "DirectoryCAFile=/dev/null"; } >"$RP_TMP/noca.ini"
run lookup --ldap-config "$RP_TMP/noca.ini" $K 2>"$RP_TMP/err.txt"
rc=$?
cat "$RP_TMP/err.txt"
[ $rc -eq 3 ] || fail "untrusted certificate accepted (exit $rc)"
grep -q "StartTLS failed" "$RP_TMP/err.txt" || fail "message"
echo ok
