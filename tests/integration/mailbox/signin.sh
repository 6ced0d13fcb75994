#!/bin/sh
# Scenario: the target sign-in check of update (docs/switch.md) against the
# loopback Autodiscover server (tests/unit/discover/adisc_server.py) and the
# loopback MAPI/HTTP server (mapi_server.py): the target's Autodiscover answer
# names the MailStore URL; update connects there with AdminTrg/PasswordTrg
# and logs on before the first write. Success switches the profile (Connect
# + 1 Execute); a wrong password (401) and a Connect the server refuses give
# status 18 with the server's reason in the log and a byte-identical store.
. "$RP_SOURCE_DIR/tests/integration/switch/common.sh"
SRC=bob.nguyen@source.example
DST=user1@target.example
load "$FIX/outlook2016-online.reg"
. "$RP_SOURCE_DIR/tests/integration/mailbox/update_env.sh"
netini() { # PASSWORD
	{
		echo "[Parameters]"
		echo "SwitchList=switch.csv"
		echo "AutodiscoverExclude=srv httpredirect"
		echo "AutodiscoverTargetURL=https://target.example/autodiscover/autodiscover.xml"
		echo "CAFile=$RP_TMP/cas.pem"
		echo "AdminTrg=user1"
		echo "PasswordTrg=$(protect "$1")"
	} >"$RP_TMP/reprofile.ini"
}
nexec() { grep -c '"type": "Execute"' "$MAPI_LOG" 2>/dev/null || echo 0; }
NAME=$(field "p['name']")

# 1. A wrong PasswordTrg: the server answers 401; status 18, the reason in
#    the log, the store byte for byte as it was.
netini 'not the password'
# same_store: the store as before the first run (the file itself on a hive;
# the Outlook profiles key exported on Wine's registry).
snap() {
	if [ $MODE = hive ]; then cp "$RP_TMP/ntuser.dat" "$1"; else export_key "$PROFILES" "$1"; fi
}
snap "$RP_TMP/before.dat"
same_store() {
	snap "$RP_TMP/now.dat"
	cmp -s "$RP_TMP/before.dat" "$RP_TMP/now.dat"
}
: >"$MAPI_LOG"
run update
expect_rc 4 "wrong password"
expect_csv "$NAME\t18\t0"
grep -q "\[Error\] Cannot open the target mailbox '$DST' for profile '$NAME'.*401" "$RP_TMP/run.log" ||
	die "no 401 reason in the log"
same_store || die "the store changed after a failed sign-in"

# 2. The server refuses the logon (Connect with another user's account:
#    ecAccessDenied): 18 likewise.
sed -i 's#<LegacyDN>[^<]*</LegacyDN>#<LegacyDN>/o=Target Org/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=user2</LegacyDN>#' \
	"$RP_TMP/adx/$DST.xml"
netini Pa55-word
: >"$MAPI_LOG"
run update
expect_rc 4 "logon refused"
expect_csv "$NAME\t18\t0"
grep -q "\[Error\] Cannot open the target mailbox '$DST'" "$RP_TMP/run.log" || die "no refusal in the log"
grep -q '"type": "Connect"' "$MAPI_LOG" || die "no Connect was sent"
same_store || die "the store changed after a refused logon"

# 3. The right account: signed in (Connect + 1 Execute), then switched.
cp "$MAPI_DIR/fixtures/adx/target.example.xml" "$RP_TMP/adx/$DST.xml"
: >"$MAPI_LOG"
run update
expect_rc 1 "signed in"
expect_csv "$NAME\t10\t0"
grep -q "\[Info\] Profile '$NAME': signed in to the target mailbox '$DST'" "$RP_TMP/run.log" ||
	die "no sign-in line"
[ "$(nexec)" -eq 1 ] || die "$(nexec) Execute requests, want 1 (RopLogon)"
[ "$(grep '"type": "Connect"' "$MAPI_LOG" | grep -c '"code": 0')" -eq 1 ] || die "not one Connect"
# Without -LeaveTemporaryProfile no temporary profile is left.
profiles() { # name<TAB>smtp of every profile, sorted
	json | python3 -c "
import json, sys
for p in json.load(sys.stdin)['profiles']:
    pe = p.get('primary_exchange')
    x = p['exchange_accounts'][pe['index']] if pe else {}
    print('%s\t%s' % (p['name'], x.get('smtp')))" | sort
}
[ "$(profiles | grep -c '^CPUU_')" -eq 0 ] || die "a temporary profile without -LeaveTemporaryProfile"

# 4. -LeaveTemporaryProfile with a wrong password: status 18, the user's
#    profile untouched, and the temporary target profile CPUU_{GUID} left
#    with the target's settings for the Mail applet.
load "$FIX/outlook2016-online.reg"
netini 'not the password'
run update -LeaveTemporaryProfile
expect_rc 4 "wrong password, temporary profile"
expect_csv "$NAME\t18\t0"
TMP=$(profiles | grep '^CPUU_{' | cut -f1)
echo "$TMP" | grep -Eq '^CPUU_\{[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}\}$' || die "no temporary profile: $(profiles)"
[ "$(profiles | grep "^CPUU_" | cut -f2)" = "$DST" ] || die "the temporary profile is not the target's: $(profiles)"
[ "$(profiles | grep -v "^CPUU_" | cut -f2)" = "$SRC" ] || die "the user's profile changed: $(profiles)"
grep -q "\[Info\] Profile '$NAME': the temporary target profile '$TMP' .*is left" "$RP_TMP/run.log" ||
	die "no temporary-profile line"
# 5. A second run ignores it: only the user's profile is switched and
#    reported; the temporary profile stays as it was.
netini Pa55-word
run update
expect_rc 1 "second run beside the temporary profile"
expect_csv "$NAME\t10\t0"
[ "$(profiles | grep "^CPUU_" | cut -f1,2)" = "$(printf '%s\t%s' "$TMP" "$DST")" ] || die "the temporary profile changed: $(profiles)"
[ "$(profiles | grep -v "^CPUU_" | cut -f2)" = "$DST" ] || die "the user's profile was not switched: $(profiles)"
# 6. The dry run says it would leave one, and writes nothing.
load "$FIX/outlook2016-online.reg"
run update -LeaveTemporaryProfile --dry-run
grep -q "; -LeaveTemporaryProfile: a temporary target profile CPUU_{GUID} with these settings would be left beside '$NAME'" \
	"$RP_TMP/out.txt" || die "the dry run does not say it: $(cat "$RP_TMP/out.txt")"
[ "$(profiles | grep -c '^CPUU_')" -eq 0 ] || die "the dry run left a temporary profile"
echo ok
