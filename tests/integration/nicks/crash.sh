#!/bin/sh
# A crash at any write (REPROFILE_CRASH_AFTER_WRITES=N counts registry and
# file writes) of an update that rewrites the nickname files and removes the
# .srs: right after the crash each file is its original or its switched
# version, never a mix; the next run finishes the switch (files equal to an
# uninterrupted run's), and rollback gives every file back byte for byte.
# The run's writes are: the backup (most of them), the file writes, the
# registry edits, the mark. The total T is found by bisection; then every N
# of the last 45 before T is tried (every 3rd natively, every 15th under
# Wine, where a process start costs ~100x more), which spans the file writes
# and the registry edits around them, and N = 0.
. "$(dirname "$0")/../switch/common.sh"
. "$(dirname "$0")/common_nicks.sh"
switches "$SRC_SMTP=$DST_SMTP"
nicks_ini
trap cleanup_user_files EXIT
fixture=$FIX/outlook2016-online.reg

# The reference: an uninterrupted update.
load "$fixture"
user_files
run update
expect_rc 1 "reference update"
mkdir -p "$RP_TMP/switched"
cp "$STREAM" "$NK2" "$RP_TMP/switched/"
[ -f "$SRS" ] && die "the reference update kept the .srs"

# orig_or_switched FILE: the file is one of its two versions (the .srs:
# the original or gone).
orig_or_switched() {
	b=$(basename "$1")
	if [ -f "$RP_TMP/switched/$b" ]; then
		cmp -s "$1" "$RP_TMP/orig/$b" || cmp -s "$1" "$RP_TMP/switched/$b" ||
			die "crash after $n writes: $b is neither the original nor the switched file"
	elif [ -f "$1" ]; then
		cmp -s "$1" "$RP_TMP/orig/$b" || die "crash after $n writes: $b changed"
	fi
}

# crash_run N: an update allowed N writes; RC 32 = it crashed.
crash_run() {
	load "$fixture"
	user_files
	(cd "$RP_TMP" && REPROFILE_CRASH_AFTER_WRITES=$1 rp update $RUNSTORE -INI reprofile.ini \
		-Log "crash-$1.log" >"$RP_TMP/out.txt" 2>"$RP_TMP/err.txt")
	RC=$?
}
# T: the smallest N with which the update completes.
lo=0 hi=1
while crash_run $hi && [ "$RC" -eq 32 ]; do
	lo=$hi
	hi=$((hi * 2))
done
while [ $((hi - lo)) -gt 1 ]; do
	mid=$(((lo + hi) / 2))
	crash_run $mid
	if [ "$RC" -eq 32 ]; then lo=$mid; else hi=$mid; fi
done
T=$hi
step=3 least=5
[ $MODE = live ] && step=15 least=3
tried=0 mid_files=0
for n in 0 $(seq $((T > 45 ? T - 45 : 1)) $step $((T - 1))); do
	crash_run $n
	[ "$RC" -eq 32 ] || die "the run with $n of $T writes allowed exited $RC"
	orig_or_switched "$STREAM"
	orig_or_switched "$NK2"
	orig_or_switched "$SRS"
	cmp -s "$STREAM" "$RP_TMP/switched/$STREAM_NAME" && mid_files=$((mid_files + 1))
	run update
	expect_rc 1 "the run after a crash after $n writes"
	cmp -s "$STREAM" "$RP_TMP/switched/$STREAM_NAME" || die "crash after $n writes: stream not switched after the rerun"
	cmp -s "$NK2" "$RP_TMP/switched/Outlook.nk2" || die "crash after $n writes: .nk2 not switched after the rerun"
	[ -f "$SRS" ] && die "crash after $n writes: .srs kept after the rerun"
	run rollback -UndoAll
	expect_rc 1 "rollback after the crash after $n writes"
	same_as_orig "$STREAM" "$NK2" "$SRS"
	tried=$((tried + 1))
done
n=$T
[ $tried -ge $least ] || die "only $tried crash points"
# some crash points fell after the stream's write (the window spans them)
[ $mid_files -ge 1 ] || die "no crash point after a file write (T=$T)"
echo "ok: $tried crash points of $T writes, $mid_files after the stream's write ($MODE)"
