#!/bin/sh
# Offline bulk mode (native only): several user hives in one run, from
# repeated --hive and from --hive-list. Each hive's profiles are switched and
# reported as "<hive>\<profile>"; a broken hive is reported and skipped
# (CPUU_GLOBAL_ERR) without stopping the others; rollback restores each.
. "$(dirname "$0")/common.sh"
if [ $MODE = live ]; then
	echo "skipped: bulk mode works on hive files (native build)"
	exit 77
fi
K="$PROFILES\\Outlook"
mk() { # mk NAME FIXTURE: a hive from a fixture
	rm -f "$RP_TMP/$1.dat"
	rp reg mkhive "$RP_TMP/$1.dat" >/dev/null && rp reg import --hive "$RP_TMP/$1.dat" "$2" >/dev/null ||
		die "making $1"
}
mk a "$FIX/outlook2016-online.reg"
mk b "$FIX/outlook2016-cached.reg"
mk c "$FIX/outlook2016-pop-imap.reg"
cp "$RP_SOURCE_DIR/tests/fixtures/bad/registry/truncated.hiv" "$RP_TMP/broken.dat"
for h in a b; do
	rp reg export --hive "$RP_TMP/$h.dat" --key "$K" -o "$RP_TMP/$h.orig.reg" >/dev/null
done
switches bob.nguyen@source.example=bob.nguyen@target.example \
	carol.smith@source.example=carol.smith@target.example
ini "ProcessOfflineProfiles=1"
src_b=$(rp show --hive "$RP_TMP/b.dat" --json | python3 -c "
import json, sys
p = json.load(sys.stdin)['profiles'][0]
print(p['exchange_accounts'][p['primary_exchange']['index']]['smtp'])")
[ "$src_b" = carol.smith@source.example ] || die "fixture b's address is $src_b: update the test"
printf '%s\n' "# the hives of the second site" "$RP_TMP/c.dat" "$RP_TMP/broken.dat" >"$RP_TMP/hives.txt"

(cd "$RP_TMP" && rp update --hive "$RP_TMP/a.dat" --hive "$RP_TMP/b.dat" --hive-list hives.txt \
	-INI reprofile.ini -Log run.log >"$RP_TMP/out.txt" 2>"$RP_TMP/err.txt")
RC=$?
expect_rc 17 "bulk update: two switched, one broken hive (CPUU_SUCCESS|CPUU_GLOBAL_ERR)"
expect_csv "$RP_TMP/a.dat\\\\Outlook\t10\t0" "$RP_TMP/b.dat\\\\Outlook\t10\t0" \
	"$RP_TMP/c.dat\\\\Outlook\t7\t0"
grep -q "\[Error\].*broken.dat" "$RP_TMP/run.log" || die "the broken hive is not named in the log"
# Every line about a profile names it "<hive>\<profile>" (user-guide.md).
for h in a b; do
	grep -qF "Profile '$RP_TMP/$h.dat\\Outlook' was switched" "$RP_TMP/run.log" ||
		die "the switch line of hive $h does not name the hive"
done
if grep -i "profile 'Outlook'" "$RP_TMP/run.log" >&2; then
	die "a log line names a profile without its hive"
fi
cmp -s "$RP_SOURCE_DIR/tests/fixtures/bad/registry/truncated.hiv" "$RP_TMP/broken.dat" ||
	die "the broken hive was written"

(cd "$RP_TMP" && rp rollback -UndoAll --hive "$RP_TMP/a.dat" --hive "$RP_TMP/b.dat" \
	-INI reprofile.ini -Log run.log >"$RP_TMP/out.txt" 2>"$RP_TMP/err.txt")
RC=$?
expect_rc 1 "bulk rollback"
for h in a b; do
	grep -qF "Profile '$RP_TMP/$h.dat\\Outlook' was rolled back" "$RP_TMP/run.log" ||
		die "the rollback line of hive $h does not name the hive"
done
for h in a b; do
	rp reg export --hive "$RP_TMP/$h.dat" --key "$K" -o "$RP_TMP/$h.back.reg" >/dev/null
	cmp -s "$RP_TMP/$h.orig.reg" "$RP_TMP/$h.back.reg" || die "hive $h: rollback not byte for byte"
done
echo "ok: bulk mode"
