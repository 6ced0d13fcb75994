#!/bin/sh
# The fleet report (issue 15, docs/report.md) over the records of real runs:
# nine users on three days, each with a hive of its own (USER and
# REPROFILE_FAKE_TIME make them users and days), switched, rerun, rolled
# back, without switch information, and failing on each kind of the guide's
# troubleshooting table: Autodiscover (no target answer, a source answer for
# another mailbox), network (connection refused, a name that does not
# resolve), credentials (401 on the target) and mailbox (the target refuses
# the logon, on the loopback MAPI/HTTP server). `reprofile report` over the
# share must count exactly what the runs did: JSON, CSV and the page agree.
. "$RP_SOURCE_DIR/tests/integration/switch/common.sh"
[ $MODE = hive ] || { echo "the report is read natively"; exit 77; }
. "$RP_SOURCE_DIR/scripts/tools.sh"
rp_need python3 openssl
SRC=bob.nguyen@source.example
DST=bob.nguyen@target.example
T0=1795000000 # 2026-11-18T11:06:40Z, day 0
SHARE=$RP_TMP/share
mkdir -p "$SHARE" "$RP_TMP/hives" "$RP_TMP/adx-empty"
load "$FIX/outlook2016-online.reg"
SRCDN=$(field "x['mailbox_dn']")
cp "$RP_TMP/ntuser.dat" "$RP_TMP/fresh.dat"

. "$RP_SOURCE_DIR/tests/integration/switch/adisc_server.sh"
adisc_server_start
ADX_CA=$CA
# The loopback MAPI/HTTP server for the mailbox failure (mapi_env.sh).
T=$RP_TMP/mapi-t
mkdir -p "$T"
fail() { die "$@"; }
MAPI_DIR=$RP_SOURCE_DIR/tests/integration/mailbox
. "$MAPI_DIR/mapi_env.sh"
trap 'kill $MAPI_PID 2>/dev/null; adisc_server_stop' EXIT INT TERM
cat "$ADX_CA" "$MAPI_CA" >"$RP_TMP/cas.pem"
CT="mail.target.example:443:127.0.0.1:$MAPI_PORT"
for h in source.example autodiscover.source.example target.example autodiscover.target.example; do
	CT="$CT $h:443:127.0.0.1:$P"
done
SURL=https://source.example/autodiscover/autodiscover.xml
TURL=https://target.example/autodiscover/autodiscover.xml

# Answers: the target, and the source with the profile's own DN.
target "$DST"
source_answer() { # DN
	sed -e "s#<LegacyDN>[^<]*</LegacyDN>#<LegacyDN>$1</LegacyDN>#" \
		-e "s/ada@source.example/$SRC/g" "$ADX/onprem-source.xml" >"$RP_TMP/adx/$SRC.xml"
}
source_answer "$SRCDN"
echo "source,target_smtp,target_legacy_dn,target_kind" >"$RP_TMP/switch.csv"
echo "$SRC,$DST,,o365" >>"$RP_TMP/switch.csv"
echo "source,target_smtp,target_legacy_dn,target_kind" >"$RP_TMP/other.csv"
echo "carol@source.example,carol@target.example,,o365" >>"$RP_TMP/other.csv"
# over the network: an on-premises target (o365 would sign in to Microsoft 365)
echo "source,target_smtp,target_legacy_dn,target_kind" >"$RP_TMP/netsw.csv"
echo "$SRC,$DST,,exchange" >>"$RP_TMP/netsw.csv"
echo "source,target_smtp,target_legacy_dn,target_kind" >"$RP_TMP/mapi.csv"
echo "$SRC,user1@target.example,,exchange" >>"$RP_TMP/mapi.csv"

# inifile NAME LINE...: an INI in RP_TMP.
inifile() {
	n=$1
	shift
	{
		echo "[Parameters]"
		for l in "$@"; do printf "%s\n" "$l"; done
	} >"$RP_TMP/$n"
}
inifile local.ini "SwitchList=switch.csv" "UseLocalAutodiscoverXMLs=1" "LocalAutodiscoverXMLPath=adx"
inifile noanswer.ini "SwitchList=switch.csv" "UseLocalAutodiscoverXMLs=1" \
	"LocalAutodiscoverXMLPath=adx-empty"
inifile noswitch.ini "SwitchList=other.csv" "UseLocalAutodiscoverXMLs=1" "LocalAutodiscoverXMLPath=adx"
NET="AutodiscoverExclude=srv httpredirect"
inifile net.ini "SwitchList=netsw.csv" "$NET" "CAFile=$ADX_CA" \
	"AutodiscoverSourceURL=$SURL" "AutodiscoverTargetURL=$TURL"
inifile auth401.ini "SwitchList=netsw.csv" "$NET" "CAFile=$ADX_CA" \
	"AutodiscoverSourceURL=$SURL" "AutodiscoverTargetURL=https://target.example/auth401/autodiscover.xml"
inifile nohost.ini "SwitchList=netsw.csv" "$NET" "CAFile=$ADX_CA" \
	"AutodiscoverSourceURL=https://nohost.source.example/autodiscover/autodiscover.xml" \
	"AutodiscoverTargetURL=$TURL"
PW=$(printf '%s\n' Pa55-word | rp protect-password --mode unrestricted | tr -d '\r')
inifile mapi.ini "SwitchList=mapi.csv" "$NET" "CAFile=$RP_TMP/cas.pem" \
	"AutodiscoverTargetURL=$TURL" "AdminTrg=user1" "PasswordTrg=$PW"

# frun USER DAY MODE INI [CONNECT_TO]: one run of USER's own hive on day
# DAY (0, 1, 2), its log (and record) share/USER-<n>.log; RC is its exit.
frun() {
	[ -f "$RP_TMP/hives/$1.dat" ] || cp "$RP_TMP/fresh.dat" "$RP_TMP/hives/$1.dat"
	k=1
	while [ -e "$SHARE/$1-$k.log" ]; do k=$((k + 1)); done
	(cd "$RP_TMP" && USER=$1 REPROFILE_FAKE_TIME=$((T0 + $2 * 86400)) \
		REPROFILE_CONNECT_TO="${5:-$CT}" \
		rp "$3" --hive "hives/$1.dat" -INI "$4" -Log "share/$1-$k.log" \
		>"$RP_TMP/out.txt" 2>"$RP_TMP/err.txt")
	RC=$?
	cp "$SHARE/$1-$k.log" "$RP_TMP/run.log" 2>/dev/null
}
want() { # RC STEP
	[ "$RC" -eq "$1" ] || { cat "$RP_TMP/err.txt" >&2; die "$2: exit $RC, want $1"; }
}

# Day 0
frun alice 0 update local.ini
want 1 "alice switched"
frun bob 0 update noanswer.ini
want 4 "bob: no target answer"
frun carol 0 update local.ini
want 1 "carol switched"
frun dave 0 update noswitch.ini
want 2 "dave: no switch information"
# Day 1
frun alice 1 update local.ini
want 0 "alice: already updated"
frun bob 1 update local.ini
want 1 "bob switched"
frun carol 1 rollback local.ini
want 1 "carol rolled back"
frun erin 1 update net.ini "source.example:443:127.0.0.1:1"
want 4 "erin: connection refused"
# Day 2
frun frank 2 update auth401.ini
want 4 "frank: 401 on the target"
frun grace 2 update nohost.ini
want 4 "grace: the source name does not resolve"
cp "$MAPI_DIR/fixtures/adx/target.example.xml" "$RP_TMP/adx/user1@target.example.xml"
sed -i 's#<LegacyDN>[^<]*</LegacyDN>#<LegacyDN>/o=Target Org/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=user2</LegacyDN>#' \
	"$RP_TMP/adx/user1@target.example.xml"
frun ivan 2 update mapi.ini
want 4 "ivan: the target refuses the logon"
grep -q "	18	0" "$SHARE/ivan-1.csv" || die "ivan: not status 18"
source_answer "/o=First Organization/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=bob.nguyen"
frun heidi 2 update net.ini
want 4 "heidi: the source answer is another mailbox's"
adisc_server_stop
kill $MAPI_PID 2>/dev/null

n=$(find "$SHARE" -name '*.record.json' | wc -l)
[ "$n" -eq 12 ] || die "$n records on the share, want 12"
# Where each profile's time went: the phases it went through, no more.
python3 - "$SHARE" <<'PY' || die "the records' timings"
import json, sys
def t(f):
    return set(json.load(open(sys.argv[1] + "/" + f))["profiles"][0].get("timings", {}))
assert t("alice-1.record.json") == {"registry_ms", "autodiscover_ms", "mailbox_ms"}, t("alice-1.record.json")
assert t("erin-1.record.json") == {"registry_ms", "autodiscover_ms"}, t("erin-1.record.json")
assert t("ivan-1.record.json") == {"registry_ms", "autodiscover_ms", "mailbox_ms"}
assert t("carol-2.record.json") == set(), t("carol-2.record.json")  # rollback: not timed yet
PY
# A share also holds what is not a record: logs, CSVs, feature reports.
HOST=$(python3 -c "import json,glob; print(json.load(open(glob.glob('$SHARE/alice-1.record.json')[0]))['host'])")
printf '%s\nPC-NEVER-SEEN\n' "$HOST" >"$RP_TMP/expect.txt"

cd "$RP_TMP" || die "cd"
rp report share --expect expect.txt --out report.html --json >report.json 2>report.err ||
	{ cat report.err >&2; die "report --json failed"; }
rp report share --expect expect.txt --csv >report.csv 2>/dev/null || die "report --csv failed"
grep -q "12 record(s), 1 machine(s), 9 profile(s): 2 switched, 1 pending, 5 failed, 1 rolled back; 0 file(s) not used; page report.html" report.err ||
	{ cat report.err >&2; die "the summary line"; }

python3 - report.json report.csv <<'PY' || die "the report's numbers differ from what the runs did"
import csv, json, sys
d = json.load(open(sys.argv[1]))
bad = []
def eq(what, got, want):
    if got != want:
        bad.append(f"{what}: {got!r}, want {want!r}")
h = d["headline"]
eq("headline", h, {"machines": 1, "users": 9, "profiles": 9, "pending": 1, "switched": 2,
                   "failed": 5, "rolled_back": 1, "runs": 12, "runs_failed": 6,
                   "never_reported": 1})
eq("files", d["files"], {"read": 12, "records": 12, "skipped": 0, "before_since": 0})
eq("modes", d["runs_by_mode"], {"update": 11, "rollback": 1, "cleanup": 0, "other": 0})
eq("days", [(x["day"], x["runs"], x["switches"], x["switches_total"], x["failed"],
             x["rolled_back"]) for x in d["days"]],
   [("2026-11-18", 4, 2, 2, 1, 0), ("2026-11-19", 4, 1, 3, 1, 1),
    ("2026-11-20", 4, 0, 3, 4, 0)])
eq("by cause", d["failures"]["by_cause"],
   {"autodiscover": 2, "credentials": 1, "network": 2, "directory": 0, "mailbox": 1, "other": 0})
eq("by status", {x["status"]: x["count"] for x in d["failures"]["by_status"]}, {4: 5, 18: 1})
fail = {x["user"]: (x["status"], x["cause"]) for x in d["failing"]}
eq("failing", fail, {"erin": (4, "network"), "frank": (4, "credentials"),
                     "grace": (4, "network"), "heidi": (4, "autodiscover"),
                     "ivan": (18, "mailbox")})
for x in d["failing"]:
    if not x["error"] or not x["file"].endswith(".record.json"):
        bad.append(f"failing {x['user']}: no error or record file")
eq("never reported", d["never_reported"], ["PC-NEVER-SEEN"])
eq("slowest", len(d["slowest"]), 10)
eq("slowest order", d["slowest"] == sorted(d["slowest"], key=lambda r: -r["duration_ms"]), True)
feats = {f["feature"] for f in d["features"]}
if not feats:
    bad.append("no feature outcomes")
# The CSV holds the same numbers.
rows = list(csv.reader(open(sys.argv[2], newline="")))
eq("csv header", rows[0], ["section", "key", "name", "value"])
ch = {r[2]: int(r[3]) for r in rows if r[0] == "headline"}
eq("csv headline", ch, h)
cc = {r[1]: int(r[3]) for r in rows if r[0] == "failure_cause"}
eq("csv causes", cc, d["failures"]["by_cause"])
eq("csv failing", sorted({r[1] for r in rows if r[0] == "failing"}),
   sorted(f"{x['host']}\\{x['user']}\\{x['profile']}" for x in d["failing"]))
if bad:
    print("\n".join(bad), file=sys.stderr)
    sys.exit(1)
PY

# --since leaves out the first day.
rp report share --since 2026-11-19 --json >since.json 2>/dev/null || die "report --since"
python3 -c "
import json; d = json.load(open('since.json'))
assert d['files']['before_since'] == 4 and d['headline']['runs'] == 8, d['files']
assert d['headline']['pending'] == 0 and d['headline']['profiles'] == 8, d['headline']
" || die "--since"

# The page in headless Chromium: the headline in the rendered DOM; the
# page's self-test (#selftest=TEXT) filters the failing table by TEXT, sorts
# it, and measures each plot; a screenshot is kept under the build tree.
rp_need chromium
chrome() {
	HOME=$RP_TMP DBUS_SESSION_BUS_ADDRESS=disabled: chromium --headless \
		--no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$RP_TMP/chrome" \
		"$@" 2>>"$RP_TMP/chrome.err"
}
chrome --dump-dom "file://$RP_TMP/report.html#selftest=network" >dom.html ||
	{ tail -5 chrome.err >&2; die "chromium --dump-dom failed"; }
for kv in machines=1 users=9 profiles=9 switched=2 pending=1 failed=5 rolled_back=1 never=1; do
	grep -q "<b id=\"h-${kv%=*}\">${kv#*=}</b>" dom.html ||
		die "the rendered page does not show ${kv%=*} = ${kv#*=}"
done
# 5 failing, 2 of them network (erin, grace); 4 plots drawn with a size
grep -q '<pre id="selftest">selftest rows=5 visible=2 sorted=ok plots=4/4</pre>' dom.html ||
	{ grep -o '<pre id="selftest">[^<]*' dom.html >&2; die "the page's self-test"; }
chrome --dump-dom "file://$RP_TMP/report.html#selftest=ivan%20mailbox" >dom2.html || die "chromium"
grep -q 'selftest rows=5 visible=1 sorted=ok' dom2.html || die "filtering by two words"
# no request leaves the page: nothing external in it
grep -Eq '(src|href)=|@import|url\(' report.html && die "the page refers to something outside it"
mkdir -p "$RP_BUILD_DIR/artifacts"
chrome --screenshot="$RP_BUILD_DIR/artifacts/report-fleet.png" --window-size=1100,2600 \
	"file://$RP_TMP/report.html" >/dev/null || die "chromium --screenshot failed"
[ -s "$RP_BUILD_DIR/artifacts/report-fleet.png" ] || die "no screenshot"
echo ok

