#!/bin/sh
# The text tree names the primary and the default sending account and the
# decoded values of the fixture.
set -eu
fix="$RP_SOURCE_DIR/tests/fixtures/profiles"
mkdir -p "$RP_TMP"
out="$RP_TMP/two.txt"
$RP_EMULATOR "$REPROFILE" show --reg "$fix/outlook2016-two-exchange.reg" | tr -d '\r' >"$out"
fail=0
expect() {
	if ! grep -qF -- "$1" "$out"; then
		echo "FAIL: missing line: $1"
		fail=1
	fi
}
expect 'Profile "Outlook" [default]  (Outlook 16.0)'
expect 'Exchange account #0 dave.jones@source.example [primary]'
expect 'Exchange account #1 dave.jones@partner.example [default sending]'
expect 'OST                    C:\Users\djones\AppData\Local\Microsoft\Outlook\dave.jones@partner.example.ost'
expect 'mode                   cached (config flags 0x00001984)'
# --profile by decoded non-ASCII name selects the escaped key
$RP_EMULATOR "$REPROFILE" show --reg "$fix/nonascii-name.reg" --profile "Café Réseau" | tr -d '\r' >"$out"
expect 'Profile "Café Réseau" [default]  (Outlook 16.0)'
expect 'key name               Caf[y~ R[y~seau'
# problems are listed, exit status stays 0
$RP_EMULATOR "$REPROFILE" show --reg "$fix/dangling-refs.reg" | tr -d '\r' >"$out"
expect 'Problems (3)'
expect 'dangling account ID 4'
exit $fail
