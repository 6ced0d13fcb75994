#!/bin/sh
# Services (address-book settings) through the real binary: natively on a
# REGF hive (re-read by `reprofile reg export` and by reglookup), on a .reg
# store, and in the Windows build on Wine's live registry. The profile's
# search path, first address list shown and personal address book
# (9207f3e0...\11023d05, 01023d06, 01023d07) name the GAL, two address lists
# of the source organisation (one the recipient map names an equivalent
# for), the source organisation's container, a Contacts container and an
# LDAP directory. Processed: the GAL and the other address books are kept
# byte for byte, the mapped list and the organisation point at the target,
# the unmapped list leaves; skipped: the settings are reset to the
# defaults; dry run, rollback byte for byte, cleanup, Critical=.
. "$(dirname "$0")/common.sh"
K="$PROFILES\\Outlook"
ROOT="$K\\9207f3e0a3b11019908b08002b2a56c2"
SRC=olga.berg@source.example
DST=olga.berg@target.example
TDN='/o=TargetOrg/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients'
LIST_A=/guid=0123456789ABCDEF0123456789ABCDEF
LIST_A_NEW=/guid=FEDCBA9876543210FEDCBA9876543210
LIST_B=/guid=00112233445566778899AABBCCDDEEFF

cat >"$RP_TMP/map.csv" <<EOF
source,target_legacy_dn,target_smtp,display_name,kind
support@source.example,$TDN/cn=support,support@target.example,Support,mailbox
sales@source.example,$TDN/cn=sales,sales@target.example,Sales,mailbox
hr@source.example,$TDN/cn=hr,hr@target.example,HR,mailbox
$LIST_A,$LIST_A_NEW,,All Sales,
EOF
switches "$SRC=$DST"
target support@target.example

# The settings (tests/fixtures/profiles/gen_services_reg.py): the GAL, the
# two lists, the organisation, a Contacts container and an LDAP directory.
python3 "$FIX/gen_services_reg.py" "$RP_TMP/svc.reg" "$ROOT" "$LIST_A" "$LIST_B" ||
	die "gen_services_reg.py"

# settings FILE: the three values of a .reg export of the root section, as
# "search=[...] dir=... pab=..." where EX entries show their DN and other
# entries their provider UID; a missing value is "-".
settings() {
	python3 - "$1" <<'EOF'
import re, struct, sys
raw = open(sys.argv[1], "rb").read()
t = raw.decode("utf-16") if raw[:2] == b"\xff\xfe" else raw.decode()
t = t.replace("\\\r\n", "").replace("\\\n", "").replace(" ", "")
# Only the profile's root section (a .reg store also holds the backup).
m = re.search(r"\[[^\]]*\\Profiles\\Outlook\\9207f3e0a3b11019908b08002b2a56c2\]([^\[]*)", t)
t = m.group(1) if m else ""
def val(name):
    m = re.search('"%s"=hex:([0-9a-f,]*)' % name, t)
    return bytes.fromhex(m.group(1).replace(",", "")) if m else None
def show(e):
    if e[4:20].hex() == "dca740c8c042101ab4b908002b2fe182":
        return e[28:-1].decode()
    return e[4:20].hex()[:8]
sp, dd, pab = val("11023d05"), val("01023d06"), val("01023d07")
items = []
if sp is not None:
    n = struct.unpack_from("<I", sp)[0]
    for i in range(n):
        cb, _, off = struct.unpack_from("<IIQ", sp, 4 + 16 * i)
        items.append(show(sp[off:off + cb]))
print("search=%s dir=%s pab=%s" % (items if sp is not None else "-",
      show(dd) if dd else "-", show(pab) if pab else "-"))
EOF
}

fresh() {
	load "$FIX/outlook2016-addboxes.reg" "$RP_TMP/svc.reg"
	export_key "$K" "$RP_TMP/orig.reg"
	rm -f "$RP_TMP/run.features.jsonl"
}

BEFORE="search=['/', '$LIST_A', '$LIST_B', '/o=SourceOrg', 'fe42aa0a', '50a70a61'] dir=$LIST_A pab=fe42aa0a"
AFTER="search=['/', '$LIST_A_NEW', '/o=ExchangeLabs', 'fe42aa0a', '50a70a61'] dir=$LIST_A_NEW pab=fe42aa0a"
LINE="Address book settings (Services): search path: 6 address lists, 3 kept, $LIST_A -> $LIST_A_NEW pointed at the target, $LIST_B removed (no equivalent), /o=SourceOrg -> /o=ExchangeLabs pointed at the target; first address list shown: $LIST_A -> $LIST_A_NEW pointed at the target; personal addresses kept in: kept; folder settings need mailbox access"

# 1. Dry run: the plan shows the edits, nothing is written.
fresh
[ "$(settings "$RP_TMP/orig.reg")" = "$BEFORE" ] || die "fixture: $(settings "$RP_TMP/orig.reg")"
ini "[Directory]" "DirectoryCSV=map.csv"
run update --dry-run
expect_rc 0 "Services dry run"
grep -qF "$LINE" "$RP_TMP/err.txt" || { cat "$RP_TMP/err.txt" >&2; die "dry run lacks the Services line"; }
grep -qF "; Services: search path pointed at the target" "$RP_TMP/out.txt" || die "dry run lacks the search path edit"
export_key "$K" "$RP_TMP/now.reg"
cmp -s "$RP_TMP/orig.reg" "$RP_TMP/now.reg" || die "dry run changed the profile"
echo "ok: dry run"

# 2. Processed.
run update
expect_rc 1 "Services processed"
expect_csv 'Outlook\t10\t0'
log_has "$LINE"
export_key "$ROOT" "$RP_TMP/root.reg"
got=$(settings "$RP_TMP/root.reg")
[ "$got" = "$AFTER" ] || die "settings after the update: $got"
# The entries that stay are byte for byte the old ones (the GAL, Contacts,
# LDAP) and the layout is still x64.
python3 - "$RP_TMP/orig.reg" "$RP_TMP/root.reg" <<'EOF' || die "kept entries changed"
import re, struct, sys
def sp(path):
    raw = open(path, "rb").read()
    t = raw.decode("utf-16") if raw[:2] == b"\xff\xfe" else raw.decode()
    t = t.replace("\\\r\n", "").replace("\\\n", "").replace(" ", "")
    v = bytes.fromhex(re.search('"11023d05"=hex:([0-9a-f,]*)', t).group(1).replace(",", ""))
    n = struct.unpack_from("<I", v)[0]
    out = []
    for i in range(n):
        cb, pad, off = struct.unpack_from("<IIQ", v, 4 + 16 * i)
        assert pad == 0 and off % 4 == 0
        out.append(v[off:off + cb])
    return out
a, b = sp(sys.argv[1]), sp(sys.argv[2])
assert [a[0], a[4], a[5]] == [b[0], b[3], b[4]], "kept entries differ"
EOF
[ "$(report "(r['Services']['status'], r['Services']['found'], r['Services']['changed'], r['Services']['kept'], r['Services']['removed'])")" = "('done', 8, 3, 4, 1)" ] ||
	die "report for Services: $(report "r['Services']")"
if [ $MODE = hive ] && rp_need reglookup; then
	# An independent reader of the hive: the search path names the target's
	# list and no longer the unmapped one.
	reglookup -H -p "/$(printf "%s" "$ROOT" | tr '\\' /)" "$RP_TMP/ntuser.dat" >"$RP_TMP/reglookup.csv" ||
		die "reglookup cannot read the hive"
	grep '/11023d05,' "$RP_TMP/reglookup.csv" >"$RP_TMP/sp.csv" || die "reglookup does not see the search path"
	grep -q "$LIST_A_NEW" "$RP_TMP/sp.csv" || die "reglookup: the mapped list is not the target's"
	grep -q "$LIST_B" "$RP_TMP/sp.csv" && die "reglookup: the unmapped list is still there"
fi
run rollback -UndoAll
expect_rc 1 "rollback"
export_key "$K" "$RP_TMP/back.reg"
cmp -s "$RP_TMP/orig.reg" "$RP_TMP/back.reg" || die "rollback is not byte for byte"
echo "ok: Services processed, rollback byte for byte"

# 3. Skipped: the guide's "settings will be reset to default".
ini "Skip=Services" "[Directory]" "DirectoryCSV=map.csv"
rm -f "$RP_TMP/run.features.jsonl"
run update
expect_rc 1 "Skip=Services"
log_has "Address book settings (Services): 3 address-book settings reset to the default (Outlook rebuilds them); folder settings need mailbox access"
export_key "$ROOT" "$RP_TMP/root.reg"
[ "$(settings "$RP_TMP/root.reg")" = "search=- dir=- pab=-" ] || die "settings after Skip: $(settings "$RP_TMP/root.reg")"
[ "$(report "(r['Services']['mode'], r['Services']['status'], r['Services']['removed'])")" = "('skip', 'skipped', 3)" ] ||
	die "report for Skip=Services"
run rollback -UndoAll
export_key "$K" "$RP_TMP/back.reg"
cmp -s "$RP_TMP/orig.reg" "$RP_TMP/back.reg" || die "rollback after Skip is not byte for byte"
echo "ok: Skip=Services"

# 4. Features=Services: Services processed, the rest skipped.
ini "Features=Services" "[Directory]" "DirectoryCSV=map.csv"
rm -f "$RP_TMP/run.features.jsonl"
run update
expect_rc 1 "Features=Services"
[ "$(report "(r['Services']['mode'], r['Services']['status'], r['AddBoxes']['mode'])")" = "('process', 'done', 'skip')" ] ||
	die "report for Features=Services"
export_key "$ROOT" "$RP_TMP/root.reg"
[ "$(settings "$RP_TMP/root.reg")" = "$AFTER" ] || die "settings after Features=Services"
run cleanup
expect_rc 1 "cleanup"
echo "ok: Features=Services, cleanup"

# 5. No recipient map: the source's address lists have no equivalent (a
#    warning); the organisation still follows the target's.
fresh
ini
run update
expect_rc 1 "Services without a map"
tr -d '\r' <"$RP_TMP/run.log" | grep -F "[Warning]" | grep -qF "Address book settings (Services): search path: 6 address lists, 3 kept, $LIST_A removed (no equivalent), $LIST_B removed (no equivalent)" ||
	die "no warning for Services without a map"
export_key "$ROOT" "$RP_TMP/root.reg"
[ "$(settings "$RP_TMP/root.reg")" = "search=['/', '/o=ExchangeLabs', 'fe42aa0a', '50a70a61'] dir=- pab=fe42aa0a" ] ||
	die "settings without a map: $(settings "$RP_TMP/root.reg")"
echo "ok: Services without a recipient map"

# 6. Bad input (tests/fixtures/bad/profile/services-*.reg): a broken entry
#    ID in the first address list shown or the personal address book. One
#    line names the file, key and value: a warning, the switch goes on
#    without Services' edits (the search path stays as it was).
for f in services-default-dir-cut.reg services-default-pab-dn-unterminated.reg \
	services-default-dir-contab-count.reg; do
	case $f in *pab*) v=01023d07 ;; *) v=01023d06 ;; esac
	load "$RP_SOURCE_DIR/tests/fixtures/bad/profile/$f"
	export_key "$ROOT" "$RP_TMP/orig-root.reg"
	ini "[Directory]" "DirectoryCSV=map.csv"
	run update
	expect_rc 1 "$f"
	expect_csv 'Outlook\t10\t0'
	tr -d '\r' <"$RP_TMP/run.log" | grep -F "[Warning] Profile 'Outlook': Address book settings (Services): not updated:" |
		grep -F "9207f3e0a3b11019908b08002b2a56c2" | grep -qF "value '$v'" ||
		die "$f: no warning naming the key and value $v"
	[ "$(tr -d '\r' <"$RP_TMP/run.log" | grep -c "Address book settings (Services)")" -eq 1 ] ||
		die "$f: not one Services line"
	export_key "$ROOT" "$RP_TMP/root.reg"
	[ "$(settings "$RP_TMP/root.reg")" = "$(settings "$RP_TMP/orig-root.reg")" ] ||
		die "$f: a failed Services changed the settings"
	echo "ok: bad input $f"
done

# Services is not one of the guide's critical functionalities ("Critical
# Functionalities"): Critical=Services is a configuration error, nothing
# is written.
ini "Critical=Services" "[Directory]" "DirectoryCSV=map.csv"
load "$FIX/outlook2016-addboxes.reg" "$RP_TMP/svc.reg"
export_key "$K" "$RP_TMP/orig.reg"
run update
expect_rc 16 "Critical=Services"
tr -d '\r' <"$RP_TMP/run.log" | grep -F "[Error]" | grep -qF "Critical=Services: 'Services' is not one of" ||
	die "no error line for Critical=Services"
export_key "$K" "$RP_TMP/now.reg"
cmp -s "$RP_TMP/orig.reg" "$RP_TMP/now.reg" || die "Critical=Services changed the profile"
echo "ok: Critical=Services rejected"

# 7. A .reg store (natively): the same rewrite.
if [ $MODE = hive ]; then
	python3 - "$RP_TMP/profile.reg" "$FIX/outlook2016-addboxes.reg" "$RP_TMP/svc.reg" <<'EOF'
import sys
def text(p):
    raw = open(p, "rb").read()
    return raw.decode("utf-16") if raw[:2] == b"\xff\xfe" else raw.decode()
a = text(sys.argv[2])
b = text(sys.argv[3]).split("\n", 1)[1]
open(sys.argv[1], "wb").write(b"\xff\xfe" + (a.rstrip("\r\n") + "\r\n" + b).encode("utf-16-le"))
EOF
	ini "[Directory]" "DirectoryCSV=map.csv"
	(cd "$RP_TMP" && rp update --reg profile.reg -INI reprofile.ini -Log run.log >"$RP_TMP/out.txt" 2>"$RP_TMP/err.txt")
	RC=$?
	expect_rc 1 "update --reg"
	log_has "$LINE"
	[ "$(settings "$RP_TMP/profile.reg")" = "$AFTER" ] || die "settings in the .reg store: $(settings "$RP_TMP/profile.reg")"
	echo "ok: .reg store"
fi
