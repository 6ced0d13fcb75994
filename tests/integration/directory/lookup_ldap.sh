# The real binary against a real slapd: every kind of recipient, keys given as
# legacyExchangeDN, X500 proxy, primary and secondary SMTP, in any case.
# Expected output (expected-lookup.txt) was written by hand from source.ldif
# and target.ldif: each source object's extensionAttribute1 names its target.
. "$RP_SOURCE_DIR/tests/integration/directory/common.sh"
. "$RP_SOURCE_DIR/tests/integration/directory/slapd.sh"
rp_slapd_start
ldap_ini

lookup_keys --ldap-config "$RP_TMP/ldap.ini" --stats >"$RP_TMP/out.txt" 2>"$RP_TMP/err.txt"
rc=$?
cat "$RP_TMP/err.txt"
[ $rc -eq 1 ] || fail "exit $rc, expected 1 (some keys are not migrated)"
diff -u "$FIX/expected-lookup.txt" "$RP_TMP/out.txt" || fail "lookup output differs"
# 13 keys in one batch: one search in the source, one in the target.
grep -q '^lookups=13 cache_hits=0 searches=2 binds=2$' "$RP_TMP/err.txt" ||
	fail "expected 2 searches for one batch"

# A batch size of 5 splits the 13 keys into 3 batches: 6 searches, and the
# repeated key is answered from the cache.
echo "DirectoryBatchSize=5" >>"$RP_TMP/ldap.ini"
lookup_keys --ldap-config "$RP_TMP/ldap.ini" --stats alice@source.example \
	>"$RP_TMP/out5.txt" 2>"$RP_TMP/err5.txt"
cat "$RP_TMP/err5.txt"
grep -q '^lookups=14 cache_hits=1 searches=6 binds=2$' "$RP_TMP/err5.txt" ||
	fail "expected 6 searches and one cache hit with DirectoryBatchSize=5"
tail -n 13 "$RP_TMP/out5.txt" | diff -u "$FIX/expected-lookup.txt" - ||
	fail "batched output differs"

lookup_keys --ldap-config "$RP_TMP/ldap.ini" --json >"$RP_TMP/ldap.json"
[ $? -eq 1 ] || fail "json: exit code"
grep -q '"found": false' "$RP_TMP/ldap.json" || fail "json lacks a not-found key"
T='/o=Target/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn='
# Ambiguity (source.ldif amb1/amb2): a shared secondary address is not
# guessed; an object's own mail beats another object's proxy address.
run lookup --ldap-config "$RP_TMP/ldap.ini" shared@source.example amb1@source.example \
	>"$RP_TMP/amb.txt"
printf '%s\n' "shared@source.example => not found" \
	"amb1@source.example => kind=mailbox smtp=alice@target.example legacy_dn=${T}alice.smith name=\"Alice Smith\"" |
	diff -u - "$RP_TMP/amb.txt" || fail "ambiguous keys"

# DirectoryMatchX500=1: dave (no attribute) is found by the X500 proxy of
# his source DN on the target; without it he stays "not migrated".
{ cat "$RP_TMP/ldap.ini"; echo "DirectoryMatchX500=1"; } >"$RP_TMP/x500.ini"
run lookup --ldap-config "$RP_TMP/x500.ini" dave@source.example >"$RP_TMP/x500.txt" ||
	fail "MatchX500 lookup"
echo "dave@source.example => kind=mailbox smtp=dave.brown@target.example legacy_dn=${T}dave.brown name=\"Dave Brown\"" |
	diff -u - "$RP_TMP/x500.txt" || fail "MatchX500"

# A forced attribute format: bob's attribute holds a DN, alice's an address.
sed 's/^DirectoryAttributeFormat=.*/DirectoryAttributeFormat=smtp/' "$RP_TMP/ldap.ini" >"$RP_TMP/fmt.ini"
run lookup --ldap-config "$RP_TMP/fmt.ini" alice@source.example bob@source.example \
	>"$RP_TMP/fmt.txt"
printf '%s\n' "alice@source.example => kind=mailbox smtp=alice@target.example legacy_dn=${T}alice.smith name=\"Alice Smith\"" \
	"bob@source.example => not found" | diff -u - "$RP_TMP/fmt.txt" || fail "format smtp"
sed 's/^DirectoryAttributeFormat=smtp$/DirectoryAttributeFormat=legacyExchangeDN/' \
	"$RP_TMP/fmt.ini" >"$RP_TMP/fmt2.ini"
run lookup --ldap-config "$RP_TMP/fmt2.ini" alice@source.example bob@source.example \
	>"$RP_TMP/fmt2.txt"
printf '%s\n' "alice@source.example => not found" \
	"bob@source.example => kind=mailbox smtp=bob.jones@target.example legacy_dn=${T}bob.jones name=\"Bob Jones (Sales)\"" |
	diff -u - "$RP_TMP/fmt2.txt" || fail "format legacyExchangeDN"

# A bare host:port (the guide's DCName form) means ldap://
sed "s|^DirectorySourceURI=ldap://|DirectorySourceURI=|" "$RP_TMP/ldap.ini" >"$RP_TMP/bare.ini"
run lookup --ldap-config "$RP_TMP/bare.ini" alice@source.example >"$RP_TMP/bare.txt" ||
	fail "bare host URI"
head -n 1 "$FIX/expected-lookup.txt" | diff -u - "$RP_TMP/bare.txt" || fail "bare host answer"

# Target on the same server with the same credentials: one bind serves both.
sed -e 's/^DirectoryTargetBindDN=.*/DirectoryTargetBindDN=cn=admin,dc=source,dc=example/' \
	-e 's/^DirectoryTargetPassword=.*/DirectoryTargetPassword=source-secret/' \
	"$RP_TMP/ldap.ini" >"$RP_TMP/one.ini"
lookup_keys --ldap-config "$RP_TMP/one.ini" --stats >"$RP_TMP/one.txt" 2>"$RP_TMP/one.err"
# (ldap.ini has DirectoryBatchSize=5 since above: 3 batches, 6 searches)
grep -q '^lookups=13 cache_hits=0 searches=6 binds=1$' "$RP_TMP/one.err" ||
	fail "expected one bind for one server and one identity"
diff -u "$FIX/expected-lookup.txt" "$RP_TMP/one.txt" || fail "one-connection output"

# Natively an empty bind DN is an anonymous bind (slapd allows reads); on
# Windows it means the current user's credentials, which Wine cannot offer.
if [ -z "$RP_EMULATOR" ]; then
	grep -v '^DirectoryTarget\(BindDN\|Password\)=' "$RP_TMP/ldap.ini" >"$RP_TMP/anon.ini"
	lookup_keys --ldap-config "$RP_TMP/anon.ini" >"$RP_TMP/anon.txt"
	diff -u "$FIX/expected-lookup.txt" "$RP_TMP/anon.txt" || fail "anonymous target bind"
fi
echo "ok: $RP_LDAP_URI"
