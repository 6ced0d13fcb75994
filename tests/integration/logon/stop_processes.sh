#!/bin/sh
# StopProcesses (issue 12): before a profile of the live registry is
# touched, Outlook and the other clients of the guide's list are asked to
# close, and ended after the grace time; each is logged by name and PID.
# Natively the store is a hive, whose user runs nothing here: one line says
# so. Under Wine two stand-in clients (fake_client.c) run on a private Xvfb
# as Outlook.exe (closes when asked) and Communicator.exe (ignores it).
. "$RP_SOURCE_DIR/tests/integration/switch/common.sh"
K="$PROFILES\\Outlook"
load "$FIX/outlook2016-online.reg"
switches "bob.nguyen@source.example=bob.nguyen@target.example"
ini

if [ $MODE = hive ]; then
	run update
	expect_rc 1 "update of a hive"
	n=$(tr -d '\r' <"$RP_TMP/run.log" | grep -c "StopProcesses: nothing to stop for a hive or .reg store")
	[ "$n" = 1 ] || die "the hive run says $n times that there is nothing to stop"
	grep -q "StopProcesses is accepted" "$RP_TMP/run.log" && die "StopProcesses still logged as not implemented"
	echo "ok: nothing to stop on a hive, said once"
	exit 0
fi

. "$RP_SOURCE_DIR/scripts/tools.sh"
rp_need Xvfb wineserver
# Wine picks the display driver when its desktop process starts: a prefix
# whose server was started headless by the other tests makes no windows even
# with DISPLAY set. This test runs alone (RUN_SERIAL), so it stops the
# prefix's server, lets the first client start it with the display, and
# stops it again at the end for the headless tests after it.
wineserver -k 2>/dev/null
wineserver -w 2>/dev/null
# A display number of our own (the test's PID keeps parallel runs apart).
d=$((100 + $$ % 400))
Xvfb ":$d" -nolisten tcp -screen 0 640x480x24 >"$RP_TMP/xvfb.log" 2>&1 &
X=$!
trap 'wineserver -k 2>/dev/null; wineserver -w 2>/dev/null; kill $X 2>/dev/null' EXIT
i=0
while [ ! -e "/tmp/.X11-unix/X$d" ]; do
	i=$((i + 1))
	[ $i -le 100 ] || die "Xvfb :$d did not start: $(cat "$RP_TMP/xvfb.log")"
	kill -0 $X 2>/dev/null || die "Xvfb :$d exited: $(cat "$RP_TMP/xvfb.log")"
	sleep 0.1
done
RP_WINE_DISPLAY=":$d"
export RP_WINE_DISPLAY

# Nothing running yet: one line says so, and the switch goes on.
run update
expect_rc 1 "update with no client running"
tr -d '\r' <"$RP_TMP/run.log" | grep -q "StopProcesses: none of 5 programs was running" ||
	die "no line says that no client was running"
run rollback -UndoAll
expect_rc 1 "rollback"

FAKE=$RP_BUILD_DIR/tests/integration/logon
cp "$FAKE/fake_closes.exe" "$RP_TMP/OUTLOOK.EXE"
cp "$FAKE/fake_ignores.exe" "$RP_TMP/Communicator.exe"
(cd "$RP_TMP" && $WINE ./OUTLOOK.EXE ready-o outlook.txt >/dev/null 2>&1) &
O=$!
(cd "$RP_TMP" && $WINE ./Communicator.exe ready-c communicator.txt >/dev/null 2>&1) &
C=$!
i=0
while [ ! -e "$RP_TMP/ready-o" ] || [ ! -e "$RP_TMP/ready-c" ]; do
	i=$((i + 1))
	[ $i -le 1200 ] || die "the stand-in clients did not start: $(cat "$RP_TMP"/*.txt 2>/dev/null)"
	sleep 0.1
done

REPROFILE_STOP_GRACE_MS=3000
export REPROFILE_STOP_GRACE_MS
run update
expect_rc 1 "update with two clients running"
tr -d '\r' <"$RP_TMP/run.log" >"$RP_TMP/log.txt"
grep -q "StopProcesses: Asking OUTLOOK.EXE (PID [0-9]*) to close" "$RP_TMP/log.txt" ||
	die "Outlook was not asked to close"
grep -q "StopProcesses: OUTLOOK.EXE (PID [0-9]*) closed" "$RP_TMP/log.txt" ||
	die "Outlook's close is not logged"
grep -q "StopProcesses: Communicator.exe (PID [0-9]*) did not close within 3 s: ending it" \
	"$RP_TMP/log.txt" || die "the client that ignored the request is not logged"
grep -q "StopProcesses: Communicator.exe (PID [0-9]*) ended" "$RP_TMP/log.txt" ||
	die "the ignoring client was not ended"
# Stopped before the profile was touched: the lines come before the switch.
first_stop=$(grep -n "StopProcesses: Asking" "$RP_TMP/log.txt" | head -n 1 | cut -d: -f1)
first_prof=$(grep -n "Profile 'Outlook'" "$RP_TMP/log.txt" | head -n 1 | cut -d: -f1)
[ "$first_stop" -lt "$first_prof" ] || die "the clients were stopped after the profile was touched"
wait $O
wait $C
grep -q "asked to close: closing" "$RP_TMP/outlook.txt" || die "Outlook was not asked, it was killed"
grep -q "exited" "$RP_TMP/outlook.txt" || die "Outlook did not exit by itself"
grep -q "asked to close: ignored" "$RP_TMP/communicator.txt" || die "Communicator was never asked"
grep -q "exited" "$RP_TMP/communicator.txt" && die "Communicator closed although it ignores the request"
export_key "$K" "$RP_TMP/switched.reg"
u8 "$RP_TMP/switched.reg" | grep -q "target.example" || die "the profile was not switched"
echo "ok: StopProcesses closed one client and ended the other (live)"
