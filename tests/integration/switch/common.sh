# Sourced by the switch scenarios (update / rollback / cleanup).
# Natively the store is a REGF hive made by `reprofile reg mkhive`; in the
# Windows build (RP_EMULATOR=wine) it is Wine's live registry, filled with
# Wine's own `reg import`.
set -u
: "${REPROFILE:?}" "${RP_SOURCE_DIR:?}" "${RP_TMP:?}"
RP_EMULATOR=${RP_EMULATOR-}
rm -rf "$RP_TMP"
mkdir -p "$RP_TMP/adx"
FIX=$RP_SOURCE_DIR/tests/fixtures/profiles
ADX=$RP_SOURCE_DIR/tests/fixtures/autodiscover
PROFILES='Software\Microsoft\Office\16.0\Outlook\Profiles'
ADKEY='Software\Microsoft\Office\16.0\Outlook\AutoDiscover'
export REPROFILE_FAKE_TIME=1795000000
# rp_need (scripts/tools.sh): a scenario asks for a tool it runs.
. "$RP_SOURCE_DIR/scripts/tools.sh"

rp() {
	# shellcheck disable=SC2086
	$RP_EMULATOR "$REPROFILE" "$@"
}

# die MESSAGE: fails the scenario, with the last run's log for diagnosis.
die() {
	echo "FAIL: $*" >&2
	for f in "$RP_TMP/err.txt" "$RP_TMP/run.log"; do
		[ -s "$f" ] && { echo "--- tail of $f" >&2; tail -n 8 "$f" >&2; }
	done
	exit 1
}

if [ -n "$RP_EMULATOR" ]; then
	MODE=live
	REGSTORE="--live"
	RUNSTORE=""
	WINE=${RP_WINE:-$RP_EMULATOR}
else
	MODE=hive
	REGSTORE="--hive $RP_TMP/ntuser.dat"
	RUNSTORE="--hive $RP_TMP/ntuser.dat"
fi

# load FILE...: a fresh store holding these .reg files, imported in order.
load() {
	if [ $MODE = hive ]; then
		rm -f "$RP_TMP/ntuser.dat"
		rp reg mkhive "$RP_TMP/ntuser.dat" >/dev/null || die "mkhive"
		for f in "$@"; do
			rp reg import --hive "$RP_TMP/ntuser.dat" "$f" >/dev/null || die "import $f"
		done
	else
		for k in 'HKCU\Software\Microsoft\Office' 'HKCU\Software\reprofile' \
			'HKCU\Software\Microsoft\Windows NT\CurrentVersion\Windows Messaging Subsystem'; do
			$WINE reg delete "$k" /f >/dev/null 2>&1
		done
		for f in "$@"; do
			# Wine's reg.exe has been seen failing once under a full
			# parallel ctest on the shared prefix: retry, and keep its text.
			ok=0
			for try in 1 2 3; do
				if $WINE reg import "$f" >"$RP_TMP/wine-import.txt" 2>&1; then
					ok=1
					break
				fi
				sleep "$try"
			done
			[ $ok = 1 ] || die "wine reg import $f: $(tr -d '\r' <"$RP_TMP/wine-import.txt")"
		done
	fi
}

# export_key KEY OUT: the subtree as a .reg file ("absent" if missing).
# Only "not found" means absent: under a loaded machine a Wine process has
# been seen failing to start, which once passed for an absent key and failed
# switch.crash; such a failure is retried, and reported if it persists.
export_key() {
	for try in 1 2 3; do
		# shellcheck disable=SC2086
		rp reg export $REGSTORE --key "$1" -o "$2" >/dev/null 2>"$RP_TMP/export-err.txt" &&
			return 0
		if grep -q "key '.*' not found" "$RP_TMP/export-err.txt"; then
			echo absent >"$2"
			return 0
		fi
		sleep "$try"
	done
	die "reprofile reg export of $1 failed 3 times: $(cat "$RP_TMP/export-err.txt")"
}

# u8 FILE: a UTF-16LE .reg export as UTF-8 text without CRs.
u8() {
	iconv -f UTF-16 -t UTF-8 "$1" | tr -d '\r'
}

# target ADDR [DN-SUFFIX]: a local Autodiscover answer for the target
# mailbox ADDR (from the project's Office 365 fixture, re-addressed).
target() {
	local=${1%@*}
	sed -e "s/ada@target.example/$1/g" -e "s/Ada Target/$local (target)/" \
		-e "s/-ada</-$local</" "$ADX/o365-target.xml" >"$RP_TMP/adx/$1.xml"
}

# ini [LINE...]: reprofile.ini with the switch list and the local XML folder.
ini() {
	{
		echo "[Parameters]"
		echo "SwitchList=switch.csv"
		echo "UseLocalAutodiscoverXMLs=1"
		echo "LocalAutodiscoverXMLPath=adx"
		for l in "$@"; do printf "%s\n" "$l"; done
	} >"$RP_TMP/reprofile.ini"
}

# switches SRC=DST...: the switch list (target_kind o365, DN from Autodiscover).
switches() {
	echo "source,target_smtp,target_legacy_dn,target_kind" >"$RP_TMP/switch.csv"
	for m in "$@"; do
		echo "${m%%=*},${m#*=},,o365" >>"$RP_TMP/switch.csv"
		target "${m#*=}"
	done
}

# run MODE [ARGS...]: runs reprofile in RP_TMP with log run.log; sets RC and
# leaves the CSV in $RP_TMP/run.csv (one run's rows only).
run() {
	rm -f "$RP_TMP/run.log" "$RP_TMP/run.csv"
	# shellcheck disable=SC2086
	(cd "$RP_TMP" && rp "$@" $RUNSTORE -INI reprofile.ini -Log run.log >"$RP_TMP/out.txt" 2>"$RP_TMP/err.txt")
	RC=$?
}

# expect_rc N: the last run's exit code. A process exit status has 8 bits on
# POSIX (and through Wine), so the guide's bits 256 and 512 are checked on
# the log's last line, which always carries the whole code.
expect_rc() {
	# Wine hands a Windows exit code above 255 to the shell as 1.
	want=$(($1 & 255))
	[ -n "$RP_EMULATOR" ] && [ "$1" -gt 255 ] && want=1
	[ "$RC" -eq "$want" ] || {
		cat "$RP_TMP/err.txt" >&2
		die "exit status $RC, expected $want (code $1; step: ${2:-})"
	}
	if [ -f "$RP_TMP/run.log" ]; then
		tr -d '\r' <"$RP_TMP/run.log" | tail -n 1 | grep -q "Exit code $1 (" || {
			tail -n 1 "$RP_TMP/run.log" >&2
			die "the log's exit code is not $1 (step: ${2:-})"
		}
	fi
}

# expect_csv "NAME<TAB>CUR<TAB>PREV": the last run's status rows, exactly.
expect_csv() {
	printf '%b\n' "$@" >"$RP_TMP/want.csv"
	tr -d '\r' <"$RP_TMP/run.csv" >"$RP_TMP/got.csv" 2>/dev/null
	diff -u "$RP_TMP/want.csv" "$RP_TMP/got.csv" >&2 || die "CSV status rows differ"
}

# json: show --json of the store, one profile.
json() {
	# shellcheck disable=SC2086
	rp show $RUNSTORE --json "$@" | tr -d '\r'
}

# field EXPR: a Python expression over the JSON document d (first profile p,
# its primary Exchange account x), printed.
field() {
	json | python3 -c "
import json, sys
d = json.load(sys.stdin)
p = d['profiles'][0]
pe = p.get('primary_exchange')
x = p['exchange_accounts'][pe['index']] if pe else None
st = p['stores'][x['primary_store']] if x and x.get('primary_store') is not None else None
print($1)"
}

# snippet FILE LINE...: a .reg file (UTF-16LE with BOM, CRLF, the form
# regedit and Wine's reg.exe both read) from the given lines.
snippet() {
	f=$1
	shift
	{
		echo "Windows Registry Editor Version 5.00"
		echo
		for l in "$@"; do printf "%s\n" "$l"; done
	} | python3 -c "
import sys
t = sys.stdin.read().replace('\\n', '\\r\\n')
sys.stdout.buffer.write(b'\\xff\\xfe' + t.encode('utf-16-le'))" >"$f"
}

# extra_service FILE SERVICE_UID: a .reg file adding a LOTUSNOTES service
# (outside the guide's default set) to the profile "Outlook" beside the
# service SERVICE_UID.
extra_service() {
	snippet "$1" \
		"[HKEY_CURRENT_USER\\$PROFILES\\Outlook\\0123456789abcdef0123456789abcdef]" \
		"\"001f3d09\"=hex:$(hexw LOTUSNOTES)" \
		"" "[HKEY_CURRENT_USER\\$PROFILES\\Outlook\\9207f3e0a3b11019908b08002b2a56c2]" \
		"\"01023d0e\"=hex:$(echo "${2}0123456789abcdef0123456789abcdef" | sed 's/../&,/g; s/,$//')"
}

# hexw TEXT: TEXT as REG_BINARY UTF-16LE with its NUL, in .reg hex form.
hexw() {
	python3 -c "import sys; print(','.join('%02x' % b for b in (sys.argv[1] + '\\0').encode('utf-16-le')))" "$1"
}

# The feature scenarios (features.sh, services.sh):
# log_has TEXT: the last run's log holds a line with TEXT.
log_has() {
	tr -d '\r' <"$RP_TMP/run.log" | grep -qF -- "$1" || {
		tr -d '\r' <"$RP_TMP/run.log" | grep -F "Profile 'Outlook'" >&2
		die "the log lacks: $1"
	}
}

# report EXPR: a Python expression over the report rows r (a dict by
# feature name), printed; the report must be one JSON object per line.
report() {
	python3 -c "
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding='utf-8')]
r = {x['feature']: x for x in rows}
assert len(r) == len(rows), 'one row per feature'
print($1)" "$RP_TMP/run.features.jsonl"
}
