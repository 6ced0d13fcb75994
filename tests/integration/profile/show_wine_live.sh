#!/bin/sh
# Windows build only: import a fixture into Wine's registry with `wine reg
# import`, then `show --json` on the live registry must equal the golden JSON
# that the native build produces from the same .reg file (show_golden.sh
# checks the native side against the same golden files).
set -u
if [ -z "${RP_EMULATOR:-}" ]; then
	echo "skipped: RP_EMULATOR is empty (native build; this scenario needs the Windows build under wine)"
	exit 77
fi
if [ -z "${WINEPREFIX:-}" ]; then
	echo "skipped: WINEPREFIX is not exported by the harness"
	exit 77
fi
# Wine's own reg.exe in the binary's prefix (RP_WINE from the harness)
wine_tool=${RP_WINE:-$RP_EMULATOR}
fix="$RP_SOURCE_DIR/tests/fixtures/profiles"
mkdir -p "$RP_TMP"
fail=0
clean_roots() {
	for k in 'HKCU\Software\Microsoft\Office\16.0\Outlook' 'HKCU\Software\Microsoft\Office\15.0\Outlook' \
		'HKCU\Software\Microsoft\Windows NT\CurrentVersion\Windows Messaging Subsystem\Profiles'; do
		$wine_tool reg delete "$k" /f >/dev/null 2>&1
	done
}
for name in outlook2016-two-exchange wms-legacy nonascii-name; do
	clean_roots # start from a clean slate for the roots show looks at
	if ! $wine_tool reg import "$(winepath -w "$fix/$name.reg" 2>/dev/null || echo "$fix/$name.reg")" >/dev/null 2>&1; then
		echo "FAIL: wine reg import $name.reg"
		fail=1
		continue
	fi
	$RP_EMULATOR "$REPROFILE" show --json | tr -d '\r' >"$RP_TMP/$name.live.json"
	if ! diff -u "$fix/golden/$name.json" "$RP_TMP/$name.live.json"; then
		echo "FAIL: live show of $name differs from the native golden JSON"
		fail=1
	fi
done
clean_roots # leave no Outlook profile behind in the shared prefix
exit $fail
