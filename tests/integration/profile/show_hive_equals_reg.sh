#!/bin/sh
# For every profile fixture: import it into a fresh REGF hive (reg mkhive +
# reg import), then `show --json --hive` must equal `show --json --reg` of the
# same fixture: the decoded model does not depend on the store backend.
set -u
if [ "${RP_PLATFORM:-posix}" = windows ]; then
	echo "skipped: the Windows build does not read hive files (no libhivex); the native build runs this"
	exit 77
fi
fix="$RP_SOURCE_DIR/tests/fixtures/profiles"
mkdir -p "$RP_TMP"
fail=0
n=0
for f in "$fix"/*.reg "$RP_SOURCE_DIR/examples/profile-outlook2016.reg"; do
	name=$(basename "$f" .reg)
	hive="$RP_TMP/$name.hive"
	rm -f "$hive"
	if ! $RP_EMULATOR "$REPROFILE" reg mkhive "$hive" ||
		! $RP_EMULATOR "$REPROFILE" reg import --hive "$hive" "$f"; then
		echo "FAIL: $name: could not build the hive"
		fail=1
		continue
	fi
	$RP_EMULATOR "$REPROFILE" show --json --reg "$f" >"$RP_TMP/$name.reg.json" || {
		echo "FAIL: $name: show --reg failed"; fail=1; continue; }
	$RP_EMULATOR "$REPROFILE" show --json --hive "$hive" >"$RP_TMP/$name.hive.json" || {
		echo "FAIL: $name: show --hive failed"; fail=1; continue; }
	if ! cmp -s "$RP_TMP/$name.reg.json" "$RP_TMP/$name.hive.json"; then
		echo "FAIL: $name: hive and .reg decode differently"
		diff -u "$RP_TMP/$name.reg.json" "$RP_TMP/$name.hive.json" | head -40
		fail=1
	fi
	n=$((n + 1))
done
echo "$n fixtures compared"
exit $fail
