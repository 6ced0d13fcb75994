# common.sh - helpers for directory scenarios (sourced).
set -u
FIX=$RP_SOURCE_DIR/tests/fixtures/directory
mkdir -p "$RP_TMP"

fail() {
	echo "FAIL: $*"
	exit 1
}

# Runs `reprofile lookup ARGS... KEY...` with the keys of keys.txt appended
# (one per line; globbing off: keys contain '*').
lookup_keys() {
	set -f
	old_ifs=$IFS
	IFS='
'
	# shellcheck disable=SC2046
	set -- "$@" $(cat "$FIX/keys.txt")
	IFS=$old_ifs
	run lookup "$@"
	rc=$?
	set +f
	return $rc
}

# Runs the binary under test ($RP_EMULATOR is "wine" for the Windows build)
# and drops the CR of Windows text output, keeping the exit code.
run() {
	$RP_EMULATOR "$REPROFILE" "$@" >"$RP_TMP/.run.out" 2>"$RP_TMP/.run.err"
	run_rc=$?
	tr -d '\r' <"$RP_TMP/.run.out"
	tr -d '\r' <"$RP_TMP/.run.err" >&2
	return $run_rc
}

# Writes $RP_TMP/ldap.ini from the template for the running slapd.
ldap_ini() {
	sed "s|@URI@|$RP_LDAP_URI|" "$FIX/ldap.ini.in" >"$RP_TMP/ldap.ini"
}
