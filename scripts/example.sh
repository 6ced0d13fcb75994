#!/usr/bin/env bash
# example.sh - the main job on the bundled example, no network: switch the
# Outlook 2016 profile in examples/profile-outlook2016.reg to its migrated
# mailbox (examples/README.md), then roll it back. Works on a copy in
# build/example/.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN="$ROOT/build/native/reprofile"
EX="$ROOT/examples"
WORK="$ROOT/build/example"
KEY='Software\Microsoft\Office\16.0\Outlook\Profiles\Outlook'

die() {
	echo "example.sh: $*" >&2
	exit 1
}
[ -x "$BIN" ] || die "$BIN is not built: run scripts/setup.sh first"
rm -rf "$WORK"
mkdir -p "$WORK"
cp -r "$EX/reprofile.ini" "$EX/switch.csv" "$EX/autodiscover" "$WORK/"
cp "$EX/profile-outlook2016.reg" "$WORK/profile.reg"
cd "$WORK"

echo "== the profile before (reprofile show)"
"$BIN" show --reg profile.reg | sed -n '1,12p'
echo
echo "== the plan (reprofile update --dry-run): a .reg diff, nothing written"
"$BIN" update --reg profile.reg -INI reprofile.ini --dry-run 2>/dev/null | sed -n '1,24p'
echo "   ..."
echo
echo "== the switch (reprofile update)"
rc=0
"$BIN" update --reg profile.reg -INI reprofile.ini -Log update.log || rc=$?
[ "$rc" -eq 1 ] || die "update exited $rc, expected 1 (CPUU_SUCCESS); see $WORK/update.log"
echo "exit code 1 (CPUU_SUCCESS); status row: $(tr -d '\r' <update.csv)"
"$BIN" show --reg profile.reg | sed -n '1,12p'
echo
echo "== rollback (reprofile -UndoAll)"
"$BIN" reg export --reg "$EX/profile-outlook2016.reg" --key "$KEY" -o before.reg
rc=0
"$BIN" -UndoAll --reg profile.reg -INI reprofile.ini -Log rollback.log || rc=$?
[ "$rc" -eq 1 ] || die "rollback exited $rc, expected 1; see $WORK/rollback.log"
"$BIN" reg export --reg profile.reg --key "$KEY" -o after.reg
cmp -s before.reg after.reg || die "the rollback is not byte for byte"
echo "exit code 1; status row: $(tr -d '\r' <rollback.csv); profile byte-identical to the original"
