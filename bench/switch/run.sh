#!/bin/sh
# bench/switch/run.sh BUILD_DIR [N_HIVES] [RUNS]
# Time and peak RSS of `reprofile update --hive` (docs/performance.md,
# section "Switch"):
#  1. one typical profile (outlook2016-online.reg, outlook2016-cached.reg
#     with ProcessOfflineProfiles=1), switch list + local Autodiscover XML, no
#     network: the real binary under hyperfine (each run on a fresh copy of
#     the hive, made by --prepare and not timed), `reprofile --version` for
#     the start-up alone, peak RSS with GNU time, and the in-process cost
#     (switch_inproc, no process start-up);
#  2. a folder of N_HIVES (default 1000) user hives, one distinct user each
#     (generation not timed): `cp -r` of the folder and `cat >/dev/null` of
#     its files against a loop calling reprofile once per hive, the same with
#     xargs -P2, the bulk mode (one `reprofile update --hive-list` run), and
#     the switch loop without the binary (switch_inproc folder).
# Each hive commit fsyncs (crash safety); with RP_TMP on a tmpfs (/dev/shm)
# fsync is free and the figures show the CPU cost alone.
# Writes WORK/summary.txt ("key value" lines) and prints it. WORK is
# $RP_TMP or BUILD_DIR/tmp/bench-switch. Needs hyperfine, GNU time, python3.
set -eu
BUILD=$(cd "${1:?usage: run.sh BUILD_DIR [N_HIVES] [RUNS]}" && pwd)
N=${2:-1000}
RUNS=${3:-40}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
R=$BUILD/reprofile
INPROC=$BUILD/bench/switch/switch_inproc
W=${RP_TMP:-$BUILD/tmp/bench-switch}
for t in hyperfine /usr/bin/time python3; do
	command -v $t >/dev/null || {
		echo "run.sh: $t is needed" >&2
		exit 77
	}
done
[ -x "$R" ] && [ -x "$INPROC" ] || {
	echo "run.sh: build reprofile and switch_inproc in $BUILD first" >&2
	exit 2
}
rm -rf "$W"
mkdir -p "$W/one/adx" "$W/bulk"
OUT=$W/summary.txt
: >"$OUT"
put() { echo "$1 $2" >>"$OUT"; }
ms() { echo "$(($2 - $1))" | awk '{ printf "%.1f", $1 / 1e6 }'; }
# hf_stats JSON PREFIX: min, median, mean (ms) of a hyperfine export.
hf_stats() {
	python3 -c "
import json, sys
r = json.load(open(sys.argv[1]))['results'][0]
for k in ('min', 'median', 'mean', 'stddev'):
    print('%s_ms_%s %.2f' % (sys.argv[2], k, r[k] * 1e3))" "$1" "$2" >>"$OUT"
}
# peak_rss NAME PREPARE CMD...: the largest and smallest %M of 5 runs (KB).
peak_rss() {
	name=$1 prep=$2
	shift 2
	lo='' hi=0
	for _ in 1 2 3 4 5; do
		sh -c "$prep"
		kb=$(/usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1)
		if [ "$kb" -gt "$hi" ]; then hi=$kb; fi
		if [ -z "$lo" ] || [ "$kb" -lt "$lo" ]; then lo=$kb; fi
	done
	put "${name}_maxrss_kb" "$hi"
	put "${name}_minrss_kb" "$lo"
}

put machine_nproc "$(nproc)"
put machine_cpu "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1 | tr ' ' _)"
put machine_loadavg "$(cut -d' ' -f1 /proc/loadavg)"
put shared_libraries "$(ldd "$R" | grep -c '=>')"

# --- 1. one profile -------------------------------------------------------
cd "$W/one"
printf '[Parameters]\nSwitchList=switch.csv\nUseLocalAutodiscoverXMLs=1\nLocalAutodiscoverXMLPath=adx\nProcessOfflineProfiles=1\n' \
	>reprofile.ini
echo "source,target_smtp,target_legacy_dn,target_kind" >switch.csv
for fx in online:bob.nguyen cached:carol.smith; do
	kind=${fx%%:*} user=${fx#*:}
	"$R" reg mkhive "$kind.pristine.dat" >/dev/null
	"$R" reg import --hive "$kind.pristine.dat" "$SRC/tests/fixtures/profiles/outlook2016-$kind.reg" >/dev/null
	echo "$user@source.example,$user@target.example,,o365" >>switch.csv
	sed -e "s/ada@target.example/$user@target.example/g" -e "s/Ada Target/$user (target)/" \
		-e "s/-ada</-$user</" "$SRC/tests/fixtures/autodiscover/o365-target.xml" \
		>"adx/$user@target.example.xml"
	# the benchmark only counts if the run really switches the profile
	cp "$kind.pristine.dat" work.dat
	rc=0
	"$R" update --hive work.dat -INI reprofile.ini -Log check.log >/dev/null 2>&1 || rc=$?
	[ "$rc" -eq 1 ] && [ "$(tail -n 1 check.csv | tr -d '\r')" = "$(printf 'Outlook\t10\t0')" ] || {
		echo "run.sh: $kind: update did not switch (exit $rc)" >&2
		exit 1
	}
	put "hive_${kind}_bytes" "$(wc -c <"$kind.pristine.dat")"
done

hyperfine -N -w 5 -r "$RUNS" --export-json version.json "$R --version" >/dev/null 2>&1
hf_stats version.json startup_version
for kind in online cached; do
	# -i: a switch exits with 1 (CPUU_SUCCESS); every run's status row is
	# checked instead.
	rm -f "hf-$kind.log" "hf-$kind.csv"
	hyperfine -N -i -w 3 -r "$RUNS" --prepare "cp $kind.pristine.dat work.dat" \
		--export-json "$kind.json" \
		"$R update --hive work.dat -INI reprofile.ini -Log hf-$kind.log" >/dev/null 2>&1
	[ "$(grep -c "$(printf '\t10\t0')" "hf-$kind.csv")" -eq "$((RUNS + 3))" ] || {
		echo "run.sh: not every timed run switched the $kind profile" >&2
		exit 1
	}
	hf_stats "$kind.json" "update_${kind}"
	hyperfine -N -w 3 -r "$RUNS" --export-json "cp-$kind.json" \
		"cp $kind.pristine.dat copy.dat" >/dev/null 2>&1
	hf_stats "cp-$kind.json" "cp_${kind}"
done
# The start-up of a process that links only what a local-XML switch needs
# (switch_inproc: libxml2, hivex, libc; no libcurl/libldap), and the whole
# switch in such a process: one copy (about 0.2 ms) + one switch.
hyperfine -N -i -w 5 -r "$RUNS" --export-json probe.json "$INPROC" >/dev/null 2>&1
hf_stats probe.json startup_nonet
for kind in online cached; do
	hyperfine -N -w 3 -r "$RUNS" --export-json "nonet-$kind.json" \
		"$INPROC repeat 1 $kind.pristine.dat work.dat update --hive work.dat -INI reprofile.ini -Log nonet.log" \
		>/dev/null 2>&1
	hf_stats "nonet-$kind.json" "nonet_process_${kind}"
done
peak_rss startup_version true "$R" --version
peak_rss startup_nonet true "$INPROC"
peak_rss nonet_process_online true "$INPROC" repeat 1 online.pristine.dat work.dat \
	update --hive work.dat -INI reprofile.ini -Log nonet.log
for kind in online cached; do
	peak_rss "update_${kind}" "cp $kind.pristine.dat work.dat" \
		"$R" update --hive work.dat -INI reprofile.ini -Log rss.log
	"$INPROC" repeat "$((RUNS * 5))" "$kind.pristine.dat" work.dat \
		update --hive work.dat -INI reprofile.ini -Log inproc.log >inproc.txt
	sed "s/^/inproc_${kind}_/" inproc.txt >>"$OUT"
done

# --- 2. a folder of N user hives ------------------------------------------
cd "$W/bulk"
echo "source,target_smtp,target_legacy_dn,target_kind" >switch.csv
python3 "$SRC/bench/switch/gen_users.py" "$SRC" . "$N"
printf '[Parameters]\nSwitchList=switch.csv\nUseLocalAutodiscoverXMLs=1\nLocalAutodiscoverXMLPath=adx\nProcessOfflineProfiles=1\n' \
	>reprofile.ini
mkdir hives
# shellcheck disable=SC2016
ls regs | sed 's/\.reg$//' | xargs -P2 -I{} sh -c \
	'"$1" reg mkhive "hives/$2.dat" >/dev/null && "$1" reg import --hive "hives/$2.dat" "regs/$2.reg" >/dev/null' \
	sh "$R" {}
[ "$(ls hives | wc -l)" -eq "$N" ] || {
	echo "run.sh: hive generation failed" >&2
	exit 1
}
put bulk_hives "$N"
put bulk_folder_kb "$(du -sk hives | cut -f1)"
sync

# Baselines: copy the folder (best of 3; the copy left behind is the one
# switched next), and read every file.
best=''
for _ in 1 2 3; do
	rm -rf work
	t0=$(date +%s%N)
	cp -r hives work
	t1=$(date +%s%N)
	best=$(echo "$(ms "$t0" "$t1") ${best:-1e9}" | awk '{ print ($1 < $2) ? $1 : $2 }')
done
put bulk_cp_r_ms "$best"
# The copy made durable the way reprofile commits each hive (fsync of every
# file and of the folder), since a plain cp leaves the data in the page cache.
rm -rf work
t0=$(date +%s%N)
cp -r hives work
sync work work/*.dat
t1=$(date +%s%N)
put bulk_cp_r_fsync_ms "$(ms "$t0" "$t1")"
t0=$(date +%s%N)
cat hives/*.dat >/dev/null
t1=$(date +%s%N)
put bulk_cat_ms "$(ms "$t0" "$t1")"

# An admin's loop: one reprofile per hive, one shared log (appended).
# /usr/bin/time's %M is the largest RSS of any process it waited for.
cat >loop.sh <<'EOF'
fail=0
for f in work/*.dat; do
	"$1" update --hive "$f" -INI reprofile.ini -Log loop.log >/dev/null 2>&1
	[ $? -eq 1 ] || fail=$((fail + 1))
done
echo "$fail" >loop.fail
EOF
t0=$(date +%s%N)
/usr/bin/time -f %M -o loop.rss sh loop.sh "$R"
t1=$(date +%s%N)
[ "$(cat loop.fail)" -eq 0 ] && [ "$(grep -c "$(printf '\t10\t0')" loop.csv)" -eq "$N" ] || {
	echo "run.sh: the loop did not switch every hive ($(cat loop.fail) failed)" >&2
	exit 1
}
put bulk_loop_ms "$(ms "$t0" "$t1")"
put bulk_loop_maxrss_kb "$(tail -n 1 loop.rss)"

# The same, two at a time (both cores).
rm -rf work && cp -r hives work
t0=$(date +%s%N)
ls work/*.dat | /usr/bin/time -f %M -o xargs.rss xargs -P2 -I{} \
	"$R" update --hive {} -INI reprofile.ini -Log xargs.log >/dev/null 2>&1 || true
t1=$(date +%s%N)
[ "$(grep -c "$(printf '\t10\t0')" xargs.csv)" -eq "$N" ] || {
	echo "run.sh: xargs -P2 did not switch every hive" >&2
	exit 1
}
put bulk_xargs_p2_ms "$(ms "$t0" "$t1")"
put bulk_xargs_p2_maxrss_kb "$(tail -n 1 xargs.rss)"

# The bulk mode: one reprofile run over the whole folder (--hive-list).
rm -rf work && cp -r hives work
ls work/*.dat >list.txt
t0=$(date +%s%N)
/usr/bin/time -f %M -o bulk.rss "$R" update --hive-list list.txt -INI reprofile.ini -Log bulk.log \
	>/dev/null 2>&1 || true
t1=$(date +%s%N)
[ "$(grep -c "$(printf '\t10\t0')" bulk.csv)" -eq "$N" ] || {
	echo "run.sh: the bulk mode did not switch every hive" >&2
	exit 1
}
put bulk_hivelist_ms "$(ms "$t0" "$t1")"
put bulk_hivelist_maxrss_kb "$(tail -n 1 bulk.rss)"

# The same in-process without the binary's start-up (switch_inproc folder).
rm -rf work && cp -r hives work
ls work/*.dat >list.txt
"$INPROC" folder list.txt update --hive unused.dat -INI reprofile.ini -Log inproc.log >inproc.txt
sed "s/^/bulk_inproc_/" inproc.txt >>"$OUT"
[ "$(grep -c "$(printf '\t10\t0')" inproc.csv)" -eq "$N" ] || {
	echo "run.sh: switch_inproc folder did not switch every hive" >&2
	exit 1
}
cat "$OUT"
