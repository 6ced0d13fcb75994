# Sourced by the registry scenario scripts.
set -eu
: "${REPROFILE:?}" "${RP_SOURCE_DIR:?}" "${RP_TMP:?}"
RP_EMULATOR=${RP_EMULATOR-}
rm -rf "$RP_TMP"
mkdir -p "$RP_TMP"
FIX=$RP_SOURCE_DIR/tests/fixtures/registry
BAD=$RP_SOURCE_DIR/tests/fixtures/bad/registry
REGVIEW="python3 $RP_SOURCE_DIR/tests/integration/registry/regview.py"

rp() {
	# shellcheck disable=SC2086
	$RP_EMULATOR "$REPROFILE" "$@"
}

die() {
	echo "FAIL: $*" >&2
	exit 1
}

# Hive support: the Windows build has none (it uses the live registry).
have_hive() {
	rp reg mkhive "$RP_TMP/probe.hiv" >/dev/null 2>&1 &&
		rp reg export --hive "$RP_TMP/probe.hiv" >/dev/null 2>&1
}

# The live registry: Windows build (under Wine in tests) only.
have_live() {
	rp reg export --live --key Software >/dev/null 2>&1
}

# have TOOL: true when TOOL is there; a missing tool is never a quiet partial
# pass: rp_need skips the test (fails it under CI=true).
. "$RP_SOURCE_DIR/scripts/tools.sh"
have() {
	rp_need "$1"
}
