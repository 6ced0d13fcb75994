#!/bin/sh
# bench/features/run.sh BUILD_DIR [RUNS]
# One typical profile with every feature of issue 8 (docs/performance.md,
# "Features (issue 8)"): tests/fixtures/profiles/outlook2016-addboxes.reg
# (5 additional mailboxes: 3 migrated, 1 not, the archive), the address-book
# settings of gen_services_reg.py (Services: 6 search path entries, first
# list, personal address book), a 2,000-row autocomplete stream
# (gen_nicks.py --rows 2000) and an .srs naming the source mailbox in the
# hive's AppData, a CSV recipient map with the 3 owners, the address list and
# the stream's 500 migrated users. Measures:
#   in process   switch_inproc repeat RUNS (no start-up; the stream and the
#                .srs restored before each switch, outside the timing)
#   process      hyperfine: `reprofile update --hive`, and `reprofile
#                --version` (start-up alone)
# WORK is $RP_TMP or BUILD_DIR/tmp/bench-features.
set -eu
BUILD=$(cd "${1:?usage: run.sh BUILD_DIR [RUNS]}" && pwd)
RUNS=${2:-100}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
W=${RP_TMP:-$BUILD/tmp/bench-features}
RP=$BUILD/reprofile
SI=$BUILD/bench/switch/switch_inproc
for b in "$RP" "$SI"; do
	[ -x "$b" ] || {
		echo "run.sh: build reprofile and switch_inproc in $BUILD first" >&2
		exit 2
	}
done
FIX=$SRC/tests/fixtures/profiles
ADX=$SRC/tests/fixtures/autodiscover
K='Software\Microsoft\Office\16.0\Outlook\Profiles\Outlook'
TDN='/o=TargetOrg/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients'
LIST_A=/guid=0123456789ABCDEF0123456789ABCDEF
rm -rf "$W"
mkdir -p "$W/adx" "$W/AppData/Local/Microsoft/Outlook/RoamCache" "$W/AppData/Roaming/Microsoft/Outlook"
cd "$W"

# The profile.
python3 "$FIX/gen_services_reg.py" svc.reg "$K\\9207f3e0a3b11019908b08002b2a56c2" "$LIST_A" \
	/guid=00112233445566778899AABBCCDDEEFF
"$RP" reg mkhive pristine.dat >/dev/null
"$RP" reg import --hive pristine.dat "$FIX/outlook2016-addboxes.reg" >/dev/null
"$RP" reg import --hive pristine.dat svc.reg >/dev/null

# The user's files: the stream and an .srs naming the source SMTP address.
python3 "$SRC/tests/fixtures/nicks/gen_nicks.py" "$W/gen" --rows 2000 >/dev/null
STREAM=$W/AppData/Local/Microsoft/Outlook/RoamCache/Stream_Autocomplete_0_BENCH.dat
SRS=$W/AppData/Roaming/Microsoft/Outlook/Outlook.srs
cp gen/Stream_Autocomplete_0_BENCH.dat stream.pristine
python3 -c "
import sys
sys.stdout.buffer.write(b'\x02\x00SRS\x00' + 'OLGA.BERG@SOURCE.EXAMPLE'.encode('utf-16-le') + b'\0\0')" >srs.pristine

# Switch list, Autodiscover answers (the user and one owner), recipient map.
echo "source,target_smtp,target_legacy_dn,target_kind" >switch.csv
echo "olga.berg@source.example,olga.berg@target.example,,o365" >>switch.csv
for a in olga.berg support; do
	sed -e "s/ada@target.example/$a@target.example/g" -e "s/Ada Target/$a (target)/" \
		-e "s/-ada</-$a</" "$ADX/o365-target.xml" >"adx/$a@target.example.xml"
done
{
	echo "source,target_legacy_dn,target_smtp"
	echo "support@source.example,$TDN/cn=support,support@target.example"
	echo "sales@source.example,$TDN/cn=sales,sales@target.example"
	echo "hr@source.example,$TDN/cn=hr,hr@target.example"
	echo "$LIST_A,/guid=FEDCBA9876543210FEDCBA9876543210,"
	tail -n +2 gen/bench-map.csv
} >map.csv
printf '[Parameters]\nSwitchList=switch.csv\nUseLocalAutodiscoverXMLs=1\nLocalAutodiscoverXMLPath=adx\n[Directory]\nDirectoryCSV=map.csv\n' >feat.ini

restore() {
	cp pristine.dat w.dat
	cp stream.pristine "$STREAM"
	cp srs.pristine "$SRS"
	rm -rf w.dat.reprofile-files
}

# One run first: every feature must have done its part.
restore
"$RP" update --hive w.dat -INI feat.ini -Log check.log >/dev/null 2>&1 || [ $? -eq 1 ] || {
	echo "run.sh: the check run failed" >&2
	exit 1
}
for want in "Additional mailboxes (AddBoxes): 5 found" "Nicknames (Nicks): 2000 rows, 500 rewritten" \
	"Send/Receive settings (SRS): " "removed" "Address book settings (Services): search path: 6 address lists" \
	"User names (UserNames): 5 stores"; do
	grep -qF "$want" check.log || {
		echo "run.sh: the check run's log lacks: $want" >&2
		exit 1
	}
done

echo "== in process ($RUNS switches)"
restore
SWITCH_INPROC_RESTORE="$W/stream.pristine=$STREAM;$W/srs.pristine=$SRS" \
	"$SI" repeat "$RUNS" "$W/pristine.dat" "$W/w.dat" update --hive "$W/w.dat" -INI feat.ini \
	-Log inproc.log 2>/dev/null | tee inproc.txt

echo "== whole process"
hyperfine -N -i -w 3 -r "${HF_RUNS:-30}" --export-json hf.json \
	--prepare "sh -c 'cp $W/pristine.dat $W/w.dat; cp $W/stream.pristine $STREAM; cp $W/srs.pristine $SRS; rm -rf $W/w.dat.reprofile-files'" \
	"$RP update --hive $W/w.dat -INI $W/feat.ini -Log $W/hf.log" "$RP --version"
restore
/usr/bin/time -f "peak RSS %M KB, %e s" "$RP" update --hive w.dat -INI feat.ini -Log rss.log >/dev/null 2>rss.txt || true
tail -n 1 rss.txt
