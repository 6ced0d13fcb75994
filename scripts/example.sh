#!/usr/bin/env bash
# example.sh - the main job on the bundled example, no network: decode the
# Outlook 2016 profile in examples/profile-outlook2016.reg.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN="$ROOT/build/native/reprofile"
EXAMPLE="$ROOT/examples/profile-outlook2016.reg"

die() {
	echo "example.sh: $*" >&2
	exit 1
}
[ -x "$BIN" ] || die "$BIN is not built: run 'sudo scripts/setup.sh' first"
[ -f "$EXAMPLE" ] || die "$EXAMPLE is missing (it comes with the profile module)"
"$BIN" --help | grep -qE '^  show ' ||
	die "this reprofile has no 'show' command yet (it comes with the profile module)"
exec "$BIN" show --reg "$EXAMPLE"
