#!/bin/sh
# One run at a time per store (issue 12): a run that finds another run
# half-way through the same store waits --lock-wait seconds, then gives up
# with CPUU_GLOBAL_ERR and one line, writing nothing; with a longer wait it
# runs after the first. The first run still ends switched and its rollback
# is byte for byte. A run that dies holding the lock never blocks the next.
# Natively on a hive (a lock file beside it); in the Windows build two
# Windows processes on Wine's live registry (a named mutex).
. "$(dirname "$0")/common.sh"
K="$PROFILES\\Outlook"
load "$FIX/outlook2016-online.reg"
switches "bob.nguyen@source.example=bob.nguyen@target.example"
ini
export_key "$K" "$RP_TMP/orig.reg"

# wait_for FILE: until the paused run has created it (at most 120 s).
wait_for() {
	i=0
	while [ ! -e "$1" ]; do
		i=$((i + 1))
		[ $i -le 1200 ] || die "the first run never reached its pause ($1)"
		kill -0 "$A" 2>/dev/null || die "the first run ended before its pause"
		sleep 0.1
	done
}

# start_a: run A in the background, paused before its 6th write (half-way
# through the backup), holding the lock.
start_a() {
	rm -f "$RP_TMP/pause" "$RP_TMP/pause.go"
	(cd "$RP_TMP" && REPROFILE_PAUSE_AFTER_WRITES=5 REPROFILE_PAUSE_FILE=pause \
		rp update $RUNSTORE -INI reprofile.ini -Log a.log >a.out 2>a.err)
}

start_a &
A=$!
wait_for "$RP_TMP/pause"
# B gives up after one second: its line names the lock, nothing written.
export_key "$K" "$RP_TMP/during.reg"
run update --lock-wait 1
expect_rc 16 "a second run while the first holds the lock"
grep -q "held by another run; waited 1 s, nothing done on" "$RP_TMP/err.txt" ||
	die "no line says another run holds the lock: $(cat "$RP_TMP/err.txt")"
export_key "$K" "$RP_TMP/after-b.reg"
cmp -s "$RP_TMP/during.reg" "$RP_TMP/after-b.reg" || die "the run that gave up wrote to the profile"
[ -s "$RP_TMP/run.csv" ] && grep -q "Outlook" "$RP_TMP/run.csv" &&
	die "the run that gave up reported a profile status"

# C waits for A: started while A holds the lock, it runs once A is done.
(cd "$RP_TMP" && rp update $RUNSTORE -INI reprofile.ini -Log c.log --lock-wait 120 \
	>c.out 2>c.err; echo $? >c.rc) &
C=$!
sleep 2
[ -e "$RP_TMP/c.rc" ] && die "the waiting run did not wait (exit $(cat "$RP_TMP/c.rc"))"
touch "$RP_TMP/pause.go"
wait $A
RA=$?
[ $RA -eq 1 ] || die "the first run exited $RA after its pause: $(cat "$RP_TMP/a.err")"
wait $C
# It ran after A, not beside it: it found the profile A had switched.
[ "$(cat "$RP_TMP/c.rc")" = 0 ] || die "the run that waited exited $(cat "$RP_TMP/c.rc"): $(cat "$RP_TMP/c.err")"
tr -d '\r' <"$RP_TMP/c.log" | grep -q "Profile 'Outlook': 2 PROFILE_ALREADY_UPDATED" ||
	die "the run that waited did not find the profile switched by the first: $(cat "$RP_TMP/c.log")"
export_key "$K" "$RP_TMP/switched.reg"
cmp -s "$RP_TMP/orig.reg" "$RP_TMP/switched.reg" && die "the first run did not switch the profile"

# The rollback of the interleaved runs is byte for byte.
run rollback -UndoAll
expect_rc 1 "rollback"
export_key "$K" "$RP_TMP/back.reg"
cmp -s "$RP_TMP/orig.reg" "$RP_TMP/back.reg" || die "rollback after two runs is not byte for byte"

# A run that crashes holding the lock: the next one does not wait for it.
(cd "$RP_TMP" && REPROFILE_CRASH_AFTER_WRITES=3 rp update $RUNSTORE -INI reprofile.ini \
	-Log crash.log >crash.out 2>crash.err)
[ $? -eq 32 ] || die "the crash run did not crash"
t0=$(date +%s)
run update --lock-wait 30
expect_rc 1 "the run after a crash that held the lock"
[ $(($(date +%s) - t0)) -lt 25 ] || die "the run after the crash waited for a dead run's lock"
if [ $MODE = hive ]; then
	[ -e "$RP_TMP/ntuser.dat.reprofile-lock" ] && die "the lock file stays after a run"
fi
echo "ok: one run at a time ($MODE)"
