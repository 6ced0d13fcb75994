# LDAP and CSV backends agree, including the source identity in --json.
. "$RP_SOURCE_DIR/tests/integration/directory/common.sh"
. "$RP_SOURCE_DIR/tests/integration/directory/slapd.sh"
rp_slapd_start
ldap_ini
lookup_keys --ldap-config "$RP_TMP/ldap.ini" --json >"$RP_TMP/ldap.json"
lookup_keys --csv "$FIX/mapping.csv" --json >"$RP_TMP/csv.json"
diff -u "$RP_TMP/csv.json" "$RP_TMP/ldap.json" || fail "LDAP and CSV answers differ"
[ "$(grep -c '"found": true' "$RP_TMP/ldap.json")" -eq 10 ] || fail "expected 10 found"
echo ok
