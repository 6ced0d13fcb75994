#!/bin/sh
# Bad input to update / rollback / cleanup: one clear line naming the file
# (and line, key or value), the documented exit bit, and no write to the
# profile store.
. "$(dirname "$0")/common.sh"
BADCFG=$RP_SOURCE_DIR/tests/fixtures/bad/config
BADREG=$RP_SOURCE_DIR/tests/fixtures/bad/registry
load "$FIX/outlook2016-online.reg"
switches "bob.nguyen@source.example=bob.nguyen@target.example"
export_key "$PROFILES" "$RP_TMP/before.reg"

# unchanged: the whole profile root is as loaded (and, for a hive, so is the file).
[ $MODE = hive ] && cp "$RP_TMP/ntuser.dat" "$RP_TMP/loaded.dat"
unchanged() {
	export_key "$PROFILES" "$RP_TMP/after.reg"
	cmp -s "$RP_TMP/before.reg" "$RP_TMP/after.reg" || die "$1: the profiles changed"
	if [ $MODE = hive ]; then
		cmp -s "$RP_TMP/loaded.dat" "$RP_TMP/ntuser.dat" || die "$1: the hive file changed"
	fi
}

# one_line WHAT TEXT: stderr has exactly one line, and it contains TEXT.
one_line() {
	n=$(tr -d '\r' <"$RP_TMP/err.txt" | grep -c .)
	[ "$n" -eq 1 ] || {
		cat "$RP_TMP/err.txt" >&2
		die "$1: $n lines on stderr, expected one"
	}
	grep -qF -- "$2" "$RP_TMP/err.txt" || {
		cat "$RP_TMP/err.txt" >&2
		die "$1: the message does not name '$2'"
	}
}

# Every bad INI of the config fixtures: exit 16 (CPUU_GLOBAL_ERR), one line
# with the fixture's expected text (its first line "; expect: ..."), nothing
# written to the store; the same line in the log, and the profile's CSV row
# "not processed" (a fleet's configuration error shows on the log share).
count=0
for f in "$BADCFG"/*.ini; do
	name=$(basename "$f")
	want=$(head -n 1 "$f" | tr -d '\r' | sed -n 's/^; expect: //p')
	[ -n "$want" ] || continue
	cp "$f" "$RP_TMP/$name"
	(cd "$RP_TMP" && rp update $RUNSTORE -INI "$name" -Log run.log >"$RP_TMP/out.txt" 2>"$RP_TMP/err.txt")
	RC=$?
	[ "$RC" -eq 16 ] || die "$name: exit $RC, expected 16"
	one_line "$name" "$name:$want"
	grep -qF -- "[Error] $name:$want" "$RP_TMP/run.log" || die "$name: the error is not in the log"
	tr -d '\r' <"$RP_TMP/run.csv" | grep -qx "$(printf 'Outlook\t0\t0')" ||
		die "$name: no CSV row for the profile"
	rm -f "$RP_TMP/run.log" "$RP_TMP/run.csv"
	unchanged "$name"
	count=$((count + 1))
done
[ $count -ge 15 ] || die "only $count bad INI fixtures were tried"
echo "ok: $count bad INI files refused"

# A bad command line: exit 16, one line naming the switch.
(cd "$RP_TMP" && rp update $RUNSTORE -NoSuchSwitch >"$RP_TMP/out.txt" 2>"$RP_TMP/err.txt")
RC=$?
[ "$RC" -eq 16 ] || die "bad switch: exit $RC"
one_line "bad switch" "NoSuchSwitch"
unchanged "bad switch"
echo "ok: bad switch refused"

# A switch list that is missing, or whose header is wrong: CPUU_GLOBAL_ERR,
# an [Error] line naming the file, no profile touched.
ini
rm -f "$RP_TMP/switch.csv"
run update
expect_rc 16 "missing switch list"
grep -q "\[Error\].*switch.csv" "$RP_TMP/run.log" || die "missing switch list: not named in the log"
unchanged "missing switch list"
printf 'source;target\nbob.nguyen@source.example;bob.nguyen@target.example\n' >"$RP_TMP/switch.csv"
run update
expect_rc 16 "switch list with a bad header"
grep -q "\[Error\].*switch.csv" "$RP_TMP/run.log" || die "bad header: not named in the log"
unchanged "switch list with a bad header"
echo "ok: bad switch lists refused"

# Broken stores (native: hives): one line naming the file, exit 16, and the
# file untouched.
if [ $MODE = hive ]; then
	for f in "$BADREG"/*.hiv; do
		name=$(basename "$f")
		cp "$f" "$RP_TMP/$name"
		switches "bob.nguyen@source.example=bob.nguyen@target.example"
		(cd "$RP_TMP" && rp update --hive "$name" -INI reprofile.ini -Log run.log \
			>"$RP_TMP/out.txt" 2>"$RP_TMP/err.txt")
		RC=$?
		[ "$RC" -eq 16 ] || die "$name: exit $RC, expected 16"
		grep -q "\[Error\].*$name" "$RP_TMP/err.txt" || {
			cat "$RP_TMP/err.txt" >&2
			die "$name: no [Error] line naming the file"
		}
		cmp -s "$f" "$RP_TMP/$name" || die "$name: the broken hive was written"
	done
	echo "ok: broken hives refused untouched"
fi
