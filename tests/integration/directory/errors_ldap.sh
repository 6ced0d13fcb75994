# Bad credentials, base or server: one-line errors naming URI, base, filter.
. "$RP_SOURCE_DIR/tests/integration/directory/common.sh"
. "$RP_SOURCE_DIR/tests/integration/directory/slapd.sh"
rp_slapd_start
ldap_ini
K=alice@source.example

expect_err() { # exit-code pattern args...
	code=$1
	pat=$2
	shift 2
	run lookup "$@" 2>"$RP_TMP/err.txt" >/dev/null
	rc=$?
	cat "$RP_TMP/err.txt"
	[ $rc -eq "$code" ] || fail "exit $rc, expected $code for: $*"
	# wldap32 capitalises its messages differently: compare case-blind
	grep -qi -- "$pat" "$RP_TMP/err.txt" || fail "message lacks '$pat'"
	[ "$(wc -l <"$RP_TMP/err.txt")" -eq 1 ] || fail "message is not one line"
}

sed 's/^DirectorySourcePassword=.*/DirectorySourcePassword=wrong/' "$RP_TMP/ldap.ini" >"$RP_TMP/pw.ini"
expect_err 3 "$RP_LDAP_URI: bind as 'cn=admin,dc=source,dc=example' failed: Invalid credentials" \
	--ldap-config "$RP_TMP/pw.ini" $K

sed 's/^DirectorySourceBase=.*/DirectorySourceBase=ou=Nope,dc=source,dc=example/' "$RP_TMP/ldap.ini" >"$RP_TMP/base.ini"
expect_err 3 "search base 'ou=Nope,dc=source,dc=example' filter '(|(mail=alice@source.example)(proxyAddresses=smtp:alice@source.example))' failed: No such object" \
	--ldap-config "$RP_TMP/base.ini" $K

# a port nobody listens on: slapd is stopped first
rp_slapd_stop
expect_err 3 "^reprofile lookup: $RP_LDAP_URI: .*server" \
	--ldap-config "$RP_TMP/ldap.ini" $K

sed 's/^DirectoryAttribute=.*/DirectoryAttribute=extension(Attribute1)/' "$RP_TMP/ldap.ini" >"$RP_TMP/attr.ini"
expect_err 2 "attr.ini:13: DirectoryAttribute: 'extension(Attribute1)' is not an LDAP attribute name" \
	--ldap-config "$RP_TMP/attr.ini" $K
printf 'DirectorySourceURI=ldap://127.0.0.1:1\nDirectoryBogus=1\n' >"$RP_TMP/unk.ini"
expect_err 2 "unk.ini:2: unknown directory setting 'DirectoryBogus'" \
	--ldap-config "$RP_TMP/unk.ini" $K
echo ok
