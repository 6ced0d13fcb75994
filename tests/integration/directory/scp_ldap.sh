# Autodiscover SCP URLs from the directory (MS-OXDISCO 3.1.5.1): the site's
# own URL first, then URLs without a site, then other sites; a pointer SCP
# whose Domain= keyword matches is followed to the directory it names.
. "$RP_SOURCE_DIR/tests/integration/directory/common.sh"
. "$RP_SOURCE_DIR/tests/integration/directory/slapd.sh"
rp_slapd_start
ldap_ini
A=/Autodiscover/Autodiscover.xml

run lookup --ldap-config "$RP_TMP/ldap.ini" --scp --site HQ \
	>"$RP_TMP/hq.txt" || fail "scp HQ"
printf 'https://ex1.source.example%s\nhttps://ex3.source.example%s\nhttps://ex2.source.example%s\n' \
	$A $A $A | diff -u - "$RP_TMP/hq.txt" || fail "site HQ order"

run lookup --ldap-config "$RP_TMP/ldap.ini" --scp --site branch \
	>"$RP_TMP/br.txt" || fail "scp Branch"
printf 'https://ex2.source.example%s\nhttps://ex3.source.example%s\nhttps://ex1.source.example%s\n' \
	$A $A $A | diff -u - "$RP_TMP/br.txt" || fail "site Branch order (case-insensitive)"

run lookup --ldap-config "$RP_TMP/ldap.ini" --scp \
	--domain source.example >"$RP_TMP/none.txt" || fail "scp no site"
printf 'https://ex3.source.example%s\nhttps://ex1.source.example%s\nhttps://ex2.source.example%s\n' \
	$A $A $A | diff -u - "$RP_TMP/none.txt" || fail "no site: site-less URL first"

run lookup --ldap-config "$RP_TMP/ldap.ini" --scp \
	--domain TARGET.example >"$RP_TMP/ptr.txt" || fail "scp pointer"
printf 'https://mail.target.example%s\n' $A | diff -u - "$RP_TMP/ptr.txt" ||
	fail "pointer not followed"

run lookup --csv "$FIX/mapping.csv" --scp 2>"$RP_TMP/err.txt"
[ $? -eq 3 ] || fail "csv has no SCPs: expected exit 3"
echo ok
