# The CSV backend gives the same answers as the directory: same keys, same
# hand-written expected output as lookup_ldap.sh.
. "$RP_SOURCE_DIR/tests/integration/directory/common.sh"

lookup_keys --csv "$FIX/mapping.csv" >"$RP_TMP/out.txt"
rc=$?
[ $rc -eq 1 ] || fail "exit $rc, expected 1 (some keys are not migrated)"
diff -u "$FIX/expected-lookup.txt" "$RP_TMP/out.txt" || fail "csv lookup output differs"

# A malformed file is refused with file and line.
printf 'source,target_smtp\nalice@source.example,bob\n' >"$RP_TMP/bad.csv"
run lookup --csv "$RP_TMP/bad.csv" alice@source.example \
	2>"$RP_TMP/err.txt"
rc=$?
cat "$RP_TMP/err.txt"
[ $rc -eq 2 ] || fail "bad csv: exit $rc, expected 2"
grep -q "bad.csv:2: target_smtp 'bob' has no '@'" "$RP_TMP/err.txt" ||
	fail "bad csv: message"
echo ok
