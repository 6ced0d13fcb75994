#!/bin/sh
# `show --json --reg` of two fixtures equals the checked-in golden JSON, which
# was reviewed by hand against the values written in the fixtures.
set -eu
fix="$RP_SOURCE_DIR/tests/fixtures/profiles"
mkdir -p "$RP_TMP"
rc=0
for name in outlook2016-two-exchange wms-legacy nonascii-name; do
	$RP_EMULATOR "$REPROFILE" show --json --reg "$fix/$name.reg" | tr -d '\r' >"$RP_TMP/$name.json"
	if ! diff -u "$fix/golden/$name.json" "$RP_TMP/$name.json"; then
		echo "FAIL: $name differs from golden"
		rc=1
	fi
done
exit $rc
