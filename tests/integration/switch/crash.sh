#!/bin/sh
# A crash at any registry write (REPROFILE_CRASH_AFTER_WRITES=N: the process
# dies before its N+1st write), for every N until a run completes: after the
# next run the profile is exactly the switched one, and a rollback then gives
# back the original byte for byte. Natively the store is a hive (whose commit
# is atomic: after a crash the file must be unchanged); in the Windows build
# it is Wine's live registry, where every write lands at once and the next
# run must repair whatever a crash left.
. "$(dirname "$0")/common.sh"
K="$PROFILES\\Outlook"
fixture=$FIX/outlook2016-online.reg
switches "bob.nguyen@source.example=bob.nguyen@target.example"
ini

# The reference: an uninterrupted update.
load "$fixture"
export_key "$K" "$RP_TMP/orig.reg"
run update
expect_rc 1 "reference update"
export_key "$K" "$RP_TMP/switched.reg"
cmp -s "$RP_TMP/orig.reg" "$RP_TMP/switched.reg" && die "the reference update changed nothing"

# Natively every N. Under Wine a process start costs ~100x more, so every N
# up to 40, then every 5th; the store is not reloaded there, since each
# iteration ends with the byte-exact original anyway.
n=0
load "$fixture"
while :; do
	if [ $MODE = hive ]; then
		load "$fixture"
		cp "$RP_TMP/ntuser.dat" "$RP_TMP/before.dat"
	fi
	# The crashed process keeps its own log, so that no half-closed file
	# of a dead process (Wine releases them asynchronously) is in the way.
	(cd "$RP_TMP" && REPROFILE_CRASH_AFTER_WRITES=$n rp update $RUNSTORE -INI reprofile.ini \
		-Log "crash-$n.log" >"$RP_TMP/out.txt" 2>"$RP_TMP/err.txt")
	RC=$?
	if [ "$RC" -ne 32 ]; then
		[ "$RC" -eq 1 ] || die "the run with $n writes allowed exited $RC"
		break
	fi
	if [ $MODE = hive ]; then
		cmp -s "$RP_TMP/before.dat" "$RP_TMP/ntuser.dat" ||
			die "crash after $n writes changed the hive file"
	fi
	run update
	expect_rc 1 "the run after a crash after $n writes"
	export_key "$K" "$RP_TMP/got.reg"
	cmp -s "$RP_TMP/switched.reg" "$RP_TMP/got.reg" ||
		die "after a crash after $n writes and a rerun the profile is not the switched one"
	run rollback -UndoAll
	expect_rc 1 "rollback after the crash after $n writes"
	export_key "$K" "$RP_TMP/got.reg"
	cmp -s "$RP_TMP/orig.reg" "$RP_TMP/got.reg" ||
		die "after a crash after $n writes, rollback is not byte for byte"
	if [ $MODE = live ] && [ $n -ge 40 ]; then
		n=$((n + 5))
	else
		n=$((n + 1))
	fi
	[ $n -lt 2000 ] || die "the update never completed"
done
[ $n -gt 20 ] || die "only $n crash points: the write hook is not reached"
echo "ok: crash at each of $n writes recovered ($MODE)"

# The same with file edits in the plan: the cached Autodiscover answer for
# the source address is deleted (backed up first). A plan with files commits
# the backup before its first file write, so natively the hive may change
# after a crash, but only to "backup complete, apply begun"; every crash,
# at a registry write or at the file write, is undone by the next run: the
# profile ends switched, the file gone, and rollback gives both back byte
# for byte.
olk_fresh() {
	rm -rf "$RP_TMP/olk"
	mkdir -p "$RP_TMP/olk"
	sed -e "s/ada@target.example/bob.nguyen@source.example/g" "$ADX/o365-target.xml" \
		>"$RP_TMP/olk/0a1b - Autodiscover.xml"
}
olk_fresh
cp "$RP_TMP/olk/0a1b - Autodiscover.xml" "$RP_TMP/cached-orig.xml"
load "$fixture"
run update --outlook-data olk
expect_rc 1 "reference update with a file edit"
[ -f "$RP_TMP/olk/0a1b - Autodiscover.xml" ] && die "the reference update kept the cached answer"
export_key "$K" "$RP_TMP/switched-f.reg"
cmp -s "$RP_TMP/switched.reg" "$RP_TMP/switched-f.reg" || die "file edits changed the registry result"
n=0
step=1
[ $MODE = live ] && step=7
load "$fixture"
while :; do
	[ $MODE = hive ] && load "$fixture"
	olk_fresh
	(cd "$RP_TMP" && REPROFILE_CRASH_AFTER_WRITES=$n rp update $RUNSTORE -INI reprofile.ini \
		-Log "crashf-$n.log" --outlook-data olk >"$RP_TMP/out.txt" 2>"$RP_TMP/err.txt")
	RC=$?
	if [ "$RC" -ne 32 ]; then
		[ "$RC" -eq 1 ] || die "the run with $n writes allowed (files) exited $RC"
		break
	fi
	run update --outlook-data olk
	expect_rc 1 "the run after a crash after $n writes (files)"
	export_key "$K" "$RP_TMP/got.reg"
	cmp -s "$RP_TMP/switched.reg" "$RP_TMP/got.reg" ||
		die "files: after a crash after $n writes and a rerun the profile is not the switched one"
	[ -f "$RP_TMP/olk/0a1b - Autodiscover.xml" ] &&
		die "files: after a crash after $n writes and a rerun the cached answer is still there"
	run rollback -UndoAll
	expect_rc 1 "rollback after the crash after $n writes (files)"
	export_key "$K" "$RP_TMP/got.reg"
	cmp -s "$RP_TMP/orig.reg" "$RP_TMP/got.reg" ||
		die "files: after a crash after $n writes, rollback is not byte for byte"
	cmp -s "$RP_TMP/cached-orig.xml" "$RP_TMP/olk/0a1b - Autodiscover.xml" ||
		die "files: after a crash after $n writes, rollback did not restore the file"
	n=$((n + step))
	[ $n -lt 2000 ] || die "the update with files never completed"
done
echo "ok: crash at each of $n writes with a file edit recovered ($MODE)"
